/// Converts UTF-8 byte offsets of one text into UTF-16 code-unit offsets.
///
/// Built once per text in O(n); each lookup is O(log k) over the k non-ASCII characters,
/// and O(1) for all-ASCII text, which is the common case.
pub struct Utf16Index {
    /// (byte offset just after a non-ASCII char, cumulative extra bytes so far), ascending.
    /// `utf16(b) = b - extra(b)`, where `extra` counts, for each char before `b`,
    /// its UTF-8 length minus its UTF-16 length.
    checkpoints: Vec<(usize, usize)>,
}

impl Utf16Index {
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (at, ch) in text.char_indices() {
                let saved = ch.len_utf8() - ch.len_utf16();
                if saved > 0 {
                    extra += saved;
                    checkpoints.push((at + ch.len_utf8(), extra));
                }
            }
        }
        Utf16Index { checkpoints }
    }

    /// The UTF-16 offset of byte offset `byte`, which must lie on a char boundary.
    pub fn utf16(&self, byte: usize) -> usize {
        let passed = self.checkpoints.partition_point(|&(end, _)| end <= byte);
        let extra = if passed == 0 { 0 } else { self.checkpoints[passed - 1].1 };
        byte - extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(text: &str) {
        let index = Utf16Index::new(text);
        for (at, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            assert_eq!(index.utf16(at), text[..at].encode_utf16().count(), "{text:?} at byte {at}");
        }
    }

    #[test]
    fn ascii_offsets_are_unchanged() {
        check_all("I work at HMRC");
    }

    #[test]
    fn emoji_zwj_flags_and_accents_match_js_string_indices() {
        check_all("👩‍💻 at HMRC 🇬🇧 café — naïve 𝕏 test");
        check_all("مرحبا HMRC שלום");
    }
}
