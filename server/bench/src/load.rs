//! The load driver: N concurrent workers pulling work until a count or a deadline is reached,
//! with per-operation latencies. The first failure stops every worker and becomes the result.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// What a measured run did.
pub struct Run {
    pub ops: usize,
    pub elapsed: Duration,
    /// Sorted ascending.
    pub latencies: Vec<Duration>,
}

impl Run {
    pub fn rate(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64()
    }

    /// Several runs of the same operation as one (operations, time and latencies added up).
    pub fn merge(runs: Vec<Run>) -> Run {
        let mut all = Run {
            ops: 0,
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
        };
        for r in runs {
            all.ops += r.ops;
            all.elapsed += r.elapsed;
            all.latencies.extend(r.latencies);
        }
        all.latencies.sort_unstable();
        all
    }

    /// Nearest-rank percentile (`p` in 0–100), in milliseconds.
    pub fn pct_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[i].as_secs_f64() * 1000.0
    }
}

type Stop = Arc<AtomicBool>;

/// Runs `op(i)` once for every `i` in `0..n`, `concurrency` at a time (each worker takes the next
/// unclaimed `i`). The clock covers the first claim to the last completion.
pub async fn count<F, Fut>(n: usize, concurrency: usize, op: F) -> Result<Run, String>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    drive(
        concurrency,
        Arc::new(move |_worker, stop: &Stop| {
            let i = next.fetch_add(1, Ordering::Relaxed);
            (i < n && !stop.load(Ordering::Relaxed)).then(|| op(i))
        }),
    )
    .await
}

/// Runs `op(worker)` in a loop on each of `concurrency` workers for `secs` seconds (an operation
/// started before the deadline is finished and counted; the clock stops at the last one).
pub async fn timed<F, Fut>(secs: f64, concurrency: usize, op: F) -> Result<Run, String>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    drive(
        concurrency,
        Arc::new(move |worker, stop: &Stop| {
            (Instant::now() < deadline && !stop.load(Ordering::Relaxed)).then(|| op(worker))
        }),
    )
    .await
}

type Next<Fut> = Arc<dyn Fn(usize, &Stop) -> Option<Fut> + Send + Sync>;

async fn drive<Fut>(concurrency: usize, next: Next<Fut>) -> Result<Run, String>
where
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let stop: Stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let (next, stop) = (next.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while let Some(fut) = next(w, &stop) {
                let t = Instant::now();
                if let Err(e) = fut.await {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                lat.push(t.elapsed());
            }
            Ok(lat)
        }));
    }
    let mut latencies = Vec::new();
    let mut first_error = None;
    for w in workers {
        match w.await {
            Ok(Ok(lat)) => latencies.extend(lat),
            Ok(Err(e)) => {
                first_error.get_or_insert(e);
            }
            Err(e) => {
                first_error.get_or_insert(format!("a load worker panicked: {e}"));
            }
        }
    }
    let elapsed = start.elapsed();
    if let Some(e) = first_error {
        return Err(e);
    }
    latencies.sort_unstable();
    Ok(Run {
        ops: latencies.len(),
        elapsed,
        latencies,
    })
}

/// The median of some timings, in milliseconds.
pub fn median_ms(mut t: Vec<Duration>) -> f64 {
    t.sort_unstable();
    t[t.len() / 2].as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let run = Run {
            ops: 100,
            elapsed: Duration::from_secs(1),
            latencies: (1..=100).map(Duration::from_millis).collect(),
        };
        assert_eq!(run.pct_ms(50.0), 50.0);
        assert_eq!(run.pct_ms(99.0), 99.0);
        assert_eq!(run.pct_ms(100.0), 100.0);
        assert_eq!(run.rate(), 100.0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn count_runs_each_index_once_and_stops_on_error() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let s = seen.clone();
        let run = count(50, 8, move |i| {
            let s = s.clone();
            async move {
                s.lock().unwrap().push(i);
                Ok(())
            }
        })
        .await
        .unwrap();
        assert_eq!(run.ops, 50);
        let mut v = seen.lock().unwrap().clone();
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());

        let err = count(50, 4, |i| async move {
            if i == 7 {
                Err("seven".to_owned())
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!(err.err().as_deref(), Some("seven"));
    }
}
