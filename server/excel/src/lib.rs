//! Interface only; being written.
