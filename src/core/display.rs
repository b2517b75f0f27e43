//! Display defaults of the phone widget, written to `_jorel-default-position` and
//! `_jorel-default-size` before the loader runs (seed, "Install WebPhone").

use super::error::Error;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the phone stores it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored form; anything else is [`Error::InvalidOption`].
            pub fn parse(text: &str) -> Result<Self, Error> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::InvalidOption($what)),
                }
            }
        }
    };
}

string_enum!(
    /// Where the phone widget sits on the page.
    Position,
    "position must be 'bottom-right', 'bottom-left', 'top-right' or 'top-left'",
    {
        /// The phone's own default.
        BottomRight = "bottom-right",
        /// Bottom left corner.
        BottomLeft = "bottom-left",
        /// Top right corner.
        TopRight = "top-right",
        /// Top left corner.
        TopLeft = "top-left",
    }
);

string_enum!(
    /// How large the phone widget is.
    Size,
    "size must be 'normal', 'small' or 'mini'",
    {
        /// The phone's own default.
        Normal = "normal",
        /// Smaller.
        Small = "small",
        /// Smallest.
        Mini = "mini",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_others() {
        for p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Ok(*p));
        }
        for s in Size::ALL {
            assert_eq!(Size::parse(s.as_str()), Ok(*s));
        }
        assert_eq!(
            Position::parse("bottom").unwrap_err().code(),
            "invalid-option"
        );
        assert_eq!(Size::parse("Normal").unwrap_err().code(), "invalid-option");
    }
}
