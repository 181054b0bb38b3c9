//! The progress bar on stderr for long runs.

use std::cell::Cell;
use std::io::{IsTerminal, Read};
use std::rc::Rc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs of more articles than this get a progress bar.
pub const MIN_ARTICLES: usize = 256;

/// A bar only for long runs, when stderr is a terminal and not `--quiet`.
pub fn wanted(quiet: bool, articles: usize) -> bool {
    !quiet && articles >= MIN_ARTICLES && std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("valid progress template")
        .progress_chars("=> ")
}

/// Bar over the article text of file mode: articles done, MB/s, ETA.
pub fn file_bar(total_bytes: u64) -> ProgressBar {
    let b = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    b.set_style(style(
        "eventmap: [{bar:30}] {msg}, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, ETA {eta}",
    ));
    b
}

/// Bar over the input of `--jsonl`: a bar with ETA when the input size is
/// known (a file), else a counter (stdin).
pub fn stream_bar(input_len: Option<u64>) -> ProgressBar {
    let b = ProgressBar::with_draw_target(input_len, ProgressDrawTarget::stderr());
    b.set_style(match input_len {
        Some(_) => style(
            "eventmap: [{bar:30}] {msg}, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, ETA {eta}",
        ),
        None => style("eventmap: {msg}, {decimal_bytes} read at {decimal_bytes_per_sec}"),
    });
    b
}

/// A reader that counts the bytes read through it.
pub struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    pub fn new(inner: R, count: Rc<Cell<u64>>) -> Self {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}
