//! Stored code enumerations: one macro declares the variants, their stored tokens and their
//! words for people, so a code is never stored as prose and never parsed by hand.

/// Declares a stored code enum: every variant, its token and its words for people.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $token:literal, $words:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value.
            pub const ALL: &[Self] = &[$(Self::$variant),*];

            /// The stored token.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $token,)*
                }
            }

            /// Parses the stored token.
            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|it| it.as_str() == raw)
            }

            /// Words for people.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Self::$variant => $words,)*
                }
            }
        }
    };
}
pub(crate) use codes;
