//! Small text helpers that keep `core::fmt` out of the shipped wasm.

/// Appends `n` in decimal.
pub fn push_integer(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    for slot in digits.iter_mut() {
        *slot = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(d as char);
    }
}

/// Appends `text` percent-encoded exactly as JavaScript's `encodeURIComponent` does:
/// everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is written as UTF-8 `%XX` bytes.
pub fn push_uri_component(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        for n in [0u64, 7, 10, 1001, u64::MAX] {
            let mut s = String::new();
            push_integer(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn uri_component_matches_encode_uri_component() {
        let mut s = String::new();
        push_uri_component(&mut s, "+971 50/é&x=<y>#'*");
        assert_eq!(s, "%2B971%2050%2F%C3%A9%26x%3D%3Cy%3E%23'*");
    }
}
