//! Splitting a loop over mentees across threads, with results in mentee order.
//!
//! Every pass over all pairs (candidates, pricing, the certificate check) is a loop over
//! mentees whose iterations share nothing but read-only data. Each thread takes one
//! contiguous block and the results are joined block by block, so the output never depends
//! on the number of threads or on scheduling.

use std::ops::Range;

/// Runs `work` over `0..n` cut into `threads` contiguous blocks; results in block order.
pub(crate) fn blocks<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return vec![work(0..n)];
    }
    let size = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * size).min(n)..((t + 1) * size).min(n);
                scope.spawn(move || work(range))
            })
            .collect();
        handles
            .into_iter()
            // A panic in a block is a bug; carry it to the caller as it was.
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
