//! When the outbox tries a failed e-mail again: exponential back-off, a bounded number of times.

use chrono::TimeDelta;

/// What to do after a send failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Keep the message pending and try again this long from now.
    RetryIn(TimeDelta),
    /// The last attempt failed: the message is `failed` for good.
    GiveUp,
}

/// Attempt `n` (1-based) that fails waits `first_delay · 2^(n-1)`, at most `max_delay`, before
/// attempt `n + 1`; after `max_attempts` attempts the message is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub first_delay: TimeDelta,
    pub max_delay: TimeDelta,
}

impl Default for RetryPolicy {
    /// 10 attempts over about three hours (30 s, 1, 2, 4, 8, 16, 32 min, then hourly): an SMTP
    /// server that is down for maintenance loses no mail, a recipient it rejects is not tried forever.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            first_delay: TimeDelta::seconds(30),
            max_delay: TimeDelta::hours(1),
        }
    }
}

impl RetryPolicy {
    /// After attempt number `attempts` (1 = the first try) failed.
    pub fn after_failure(&self, attempts: u32) -> AfterFailure {
        if attempts >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let delay = self
            .first_delay
            .checked_mul(1i32 << doublings)
            .unwrap_or(self.max_delay);
        AfterFailure::RetryIn(delay.min(self.max_delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_cap_and_the_last_attempt_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.after_failure(1), AfterFailure::RetryIn(TimeDelta::seconds(30)));
        assert_eq!(p.after_failure(2), AfterFailure::RetryIn(TimeDelta::seconds(60)));
        assert_eq!(p.after_failure(7), AfterFailure::RetryIn(TimeDelta::minutes(32)));
        assert_eq!(p.after_failure(8), AfterFailure::RetryIn(TimeDelta::hours(1)));
        assert_eq!(p.after_failure(9), AfterFailure::RetryIn(TimeDelta::hours(1)));
        assert_eq!(p.after_failure(10), AfterFailure::GiveUp);
        assert_eq!(p.after_failure(11), AfterFailure::GiveUp);
    }

    #[test]
    fn a_huge_attempt_count_does_not_overflow_the_delay() {
        let p = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(p.after_failure(1000), AfterFailure::RetryIn(TimeDelta::hours(1)));
    }
}
