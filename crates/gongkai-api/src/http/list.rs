//! The list envelope every list answers: `{"items": [...], "next_cursor": ...}`.

macro_rules! list_type {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, Deserialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; null on the last page.
            pub next_cursor: Option<String>,
        }

        impl $name {
            /// A list page from a store page.
            pub fn from_page<T: Into<$item>>(page: gongkai_store::Page<T>) -> Self {
                $name {
                    items: page.items.into_iter().map(Into::into).collect(),
                    next_cursor: page.next_after.map(crate::http::extract::encode_cursor),
                }
            }
        }
    };
}

pub(crate) use list_type;
