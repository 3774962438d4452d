-- Limes store schema v1 (PostgreSQL). Times are Unix nanoseconds (BIGINT) so that the journal's
-- timestamps round-trip exactly into the entry hash; JSON is stored as text.

CREATE TABLE journal (
    node        TEXT    NOT NULL,
    seq         BIGINT NOT NULL,
    ts          BIGINT NOT NULL,
    prev_hash   BYTEA    NOT NULL,
    hash        BYTEA    NOT NULL,
    actor       TEXT    NOT NULL,
    roles       TEXT    NOT NULL,
    purpose     TEXT,
    case_ref    TEXT,
    action      TEXT    NOT NULL,
    query       TEXT    NOT NULL,
    record_ids  TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    PRIMARY KEY (node, seq)
);
CREATE INDEX journal_ts ON journal (ts);
CREATE INDEX journal_actor_ts ON journal (actor, ts);

-- The head of each node's chain, updated in the same transaction as the entries, so that several
-- processes can append: each reads the head inside its write transaction.
CREATE TABLE journal_heads (
    node  TEXT    NOT NULL PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  BYTEA    NOT NULL
);

CREATE TABLE journal_checkpoints (
    node       TEXT    NOT NULL,
    seq        BIGINT NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('periodic', 'anchor')),
    ts         BIGINT NOT NULL,
    hash       BYTEA    NOT NULL,
    key_id     TEXT    NOT NULL,
    signature  TEXT    NOT NULL,
    PRIMARY KEY (node, seq, kind)
);

CREATE TABLE users (
    name           TEXT    NOT NULL PRIMARY KEY,
    roles          TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     BIGINT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_name   TEXT    NOT NULL REFERENCES users (name),
    hash        BYTEA    NOT NULL UNIQUE,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked     BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX tokens_user ON tokens (user_name);

CREATE TABLE records (
    kind        TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

-- The change feed that in-memory indexes follow. seq is assigned under a table lock (see the writer), so followers never skip a late commit.
CREATE TABLE outbox (
    seq   BIGINT PRIMARY KEY,
    kind  TEXT    NOT NULL,
    id    TEXT    NOT NULL,
    op    TEXT    NOT NULL CHECK (op IN ('put', 'delete')),
    ts    BIGINT NOT NULL
);
