//! Screening rules and PNR pre-determined criteria (later issue). Pure: no I/O.
