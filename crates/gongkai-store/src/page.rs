//! Keyset pagination: a page of items and the key to continue after; and reads of what
//! changed after an instant, which page by `(updated_at, id)`.

use chrono::{DateTime, Utc};

/// What page to read: the key of the last item seen, and how many to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The sort key of the last item of the page before; None for the first page.
    pub after: Option<i64>,
    /// How many items at most.
    pub limit: i64,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: i64) -> Self {
        PageRequest { after: None, limit }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in the list's stable order.
    pub items: Vec<T>,
    /// The sort key to pass as `after` for the next page; None on the last page.
    pub next_after: Option<i64>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows read in order: the extra row, when
    /// present, shows that another page follows.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> i64) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_after = if more { rows.last().map(key) } else { None };
        Page { items: rows, next_after }
    }

    /// Maps the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_after: self.next_after }
    }
}

/// The page key of a read of changes: an item's `updated_at` and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeKey {
    pub at: DateTime<Utc>,
    pub id: i64,
}

/// Only what changed after `since`, oldest change first (`updated_at`, then id), so that
/// a page boundary stays put while writes go on: an item changed after a page was read
/// moves to the end, where the next pages find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Items whose `updated_at` is later than this instant.
    pub since: DateTime<Utc>,
    /// The key of the last item of the page before; None for the first page.
    pub after: Option<ChangeKey>,
}

impl Changes {
    /// True when an item changed at `at` with id `id` belongs to this read: changed
    /// after `since`, and after the previous page's last item.
    pub fn admits(&self, at: DateTime<Utc>, id: i64) -> bool {
        at > self.since && self.after.is_none_or(|k| (at, id) > (k.at, k.id))
    }
}

/// Filters a boxed query to the items of a read of changes and orders it by
/// `(updated_at, id)`; without a read of changes, continues after `page.after` in `id`
/// order.
#[macro_export]
#[doc(hidden)]
macro_rules! changes_or_keyset {
    ($q:expr, $changes:expr, $page:expr, $updated_at:expr, $id:expr) => {{
        let mut q = $q;
        match $changes {
            Some(ch) => {
                q = q.filter($updated_at.gt(ch.since));
                if let Some(k) = ch.after {
                    q = q.filter($updated_at.gt(k.at).or($updated_at.eq(k.at).and($id.gt(k.id))));
                }
                q.order(($updated_at.asc(), $id.asc()))
            }
            None => {
                if let Some(after) = $page.after {
                    q = q.filter($id.gt(after));
                }
                q.order($id.asc())
            }
        }
    }};
}
