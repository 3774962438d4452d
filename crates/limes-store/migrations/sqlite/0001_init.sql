-- Limes store schema v1 (SQLite). Times are Unix nanoseconds (INTEGER) so that the journal's
-- timestamps round-trip exactly into the entry hash; JSON is stored as text.

CREATE TABLE journal (
    node        TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    ts          INTEGER NOT NULL,
    prev_hash   BLOB    NOT NULL,
    hash        BLOB    NOT NULL,
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
    seq   INTEGER NOT NULL,
    hash  BLOB    NOT NULL
);

CREATE TABLE journal_checkpoints (
    node       TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('periodic', 'anchor')),
    ts         INTEGER NOT NULL,
    hash       BLOB    NOT NULL,
    key_id     TEXT    NOT NULL,
    signature  TEXT    NOT NULL,
    PRIMARY KEY (node, seq, kind)
);

CREATE TABLE users (
    name           TEXT    NOT NULL PRIMARY KEY,
    roles          TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_name   TEXT    NOT NULL REFERENCES users (name),
    hash        BLOB    NOT NULL UNIQUE,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_name);

CREATE TABLE records (
    kind        TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);

-- The change feed that in-memory indexes follow. AUTOINCREMENT: seqs are never reused.
CREATE TABLE outbox (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL,
    id    TEXT    NOT NULL,
    op    TEXT    NOT NULL CHECK (op IN ('put', 'delete')),
    ts    INTEGER NOT NULL
);
