//! Text → tokens: the one normaliser shared by posts and rule patterns.
//!
//! Rule patterns and posts go through exactly this code, so a pattern written "RTs aren't
//! endorsements" and a post typed "RTs aren’t endorsements" meet as the same tokens
//! (engine.md §9 lesson 1: same normaliser for terms and text).
//!
//! Matching is over whole tokens by construction (the phrase trie walks token by token):
//! no regex `\b` on raw text, no `tory` inside "history". A token's normalised form is a
//! slice of the post itself when normalising changes nothing (most words are lower-case
//! ASCII), otherwise of one side buffer, so most words are never copied.
//!
//! What a token is:
//! - a word: letters and digits, with inner apostrophes (`can't` → `cant`), a trailing
//!   possessive dropped (`HMRC's` → `hmrc`), dotted acronyms joined (`H.M.R.C` → `hmrc`),
//!   lower-cased with Unicode rules, and common digit-for-letter obfuscation undone
//!   (`T0ries` → `tories`, flagged [`OBFUSCATED`]);
//! - a hashtag, split at CamelCase boundaries and underscores (`#VoteLabour` → `vote`,
//!   `labour`); an unsplittable one stays whole (`#votelabour`, flagged [`HASHTAG_WHOLE`]);
//! - an @mention (`@alice@mastodon.social`) or a URL, each one opaque token so that their
//!   pieces never match words.
//!
//! Cost: one pass over the text, O(n), allocating the token vector and the buffer.

/// What the normalised form of a URL looks like in the buffer: a control character no
/// pattern can contain, so URLs occupy a token position without matching words.
const URL_NORM: &str = "\u{1}";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Hashtag,
    Mention,
    Url,
}

/// The first letter is upper case ("Labour", "LABOUR", "HMRC").
pub(crate) const CAPITALISED: u8 = 1;
/// At least two letters and none lower case ("HMRC", "MOD").
pub(crate) const ALL_CAPS: u8 = 2;
/// Digits stood for letters ("T0ries").
pub(crate) const OBFUSCATED: u8 = 4;
/// The first part of a hashtag: the `#` sits just before `byte_start`.
pub(crate) const HASHTAG_FIRST: u8 = 8;
/// A hashtag that could not be split: it is the whole tag ("#votelabour").
pub(crate) const HASHTAG_WHOLE: u8 = 16;
/// The normalised form is the text itself (`norm_start..norm_end` are byte offsets in
/// the post, not in the buffer).
const NORM_IN_TEXT: u8 = 32;

#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// Byte range in the original text (for a hashtag part, the part without `#`).
    pub byte_start: usize,
    pub byte_end: usize,
    /// Where the normalised form is: in the buffer, or in the text with [`NORM_IN_TEXT`].
    norm_start: usize,
    norm_end: usize,
    pub kind: Kind,
    pub flags: u8,
    /// Sentence number: bumped by `.`, `!`, `?`, `…` and newlines.
    pub sentence: u32,
    /// Clause number: bumped by sentence ends and by `,`, `;`, dashes, brackets.
    pub clause: u32,
}

impl Token {
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

pub(crate) struct Tokenized<'t> {
    pub tokens: Vec<Token>,
    text: &'t str,
    /// The normalised forms that differ from the text, one after another.
    buffer: String,
}

impl Tokenized<'_> {
    /// The normalised text of token `i`.
    pub fn norm(&self, i: usize) -> &str {
        let token = &self.tokens[i];
        let source = if token.has(NORM_IN_TEXT) { self.text } else { &self.buffer };
        &source[token.norm_start..token.norm_end]
    }
}

/// Splits and normalises `text`. Never panics; any input yields some (possibly empty)
/// token list.
pub(crate) fn tokenize(text: &str) -> Tokenized<'_> {
    let mut out = Builder { text, tokens: Vec::with_capacity(text.len() / 5 + 1), buffer: String::with_capacity(text.len() / 4 + 8), sentence: 0, clause: 0 };
    let mut at = 0;
    let mut chunk_start = true;
    let mut chunk_begin = 0;
    let mut first_word = true;
    let bytes = text.as_bytes();
    while at < bytes.len() {
        // ASCII fast path: most posts are mostly ASCII; decode only what is not.
        let b = bytes[at];
        let (c, space, word) = if b < 0x80 {
            let class = BYTE_CLASS[usize::from(b)];
            (b as char, class == SPACE, class & WORD != 0)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c, c.is_whitespace(), c.is_alphanumeric())
        };
        if space {
            if c == '\n' {
                out.end_sentence();
            }
            chunk_start = true;
            at += c.len_utf8();
            continue;
        }
        if chunk_start {
            // URLs are found lazily: only a chunk that starts like one, or whose first
            // word runs into ".x", is examined (most chunks are plain words).
            chunk_start = false;
            chunk_begin = at;
            first_word = true;
            if matches!(b | 0x20, b'h' | b'w') && {
                let head = &bytes[at..bytes.len().min(at + 4)];
                head.eq_ignore_ascii_case(b"http") || head.eq_ignore_ascii_case(b"www.")
            } {
                if let Some((start, end)) = url_at(text, at) {
                    out.push_raw(start, end, Kind::Url, 0, URL_NORM);
                    at = end;
                    continue;
                }
            }
        }
        if word {
            let plain = plain_ascii_word(bytes, at);
            let end = plain.map_or_else(|| word_end(text, at), |w| w.end);
            if std::mem::take(&mut first_word) && looks_like_host_or_scheme(bytes, end) {
                if let Some((start, url_end)) = url_at(text, chunk_begin) {
                    out.push_raw(start, url_end, Kind::Url, 0, URL_NORM);
                    at = url_end;
                    continue;
                }
            }
            if let Some(word) = plain {
                out.push_plain_ascii_word(at, word);
            } else {
                out.push_word(at, end, Kind::Word, 0);
            }
            at = end;
            continue;
        }
        if c == '@' || c == '#' {
            let prev_is_word = text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
            let next = text[at + 1..].chars().next();
            if c == '@' && !prev_is_word && next.is_some_and(|n| n.is_alphanumeric() || n == '_') {
                first_word = false;
                at = out.mention(at);
                continue;
            }
            if c == '#' && !prev_is_word && next.is_some_and(char::is_alphanumeric) {
                first_word = false;
                at = out.hashtag(at + 1);
                continue;
            }
        }
        match c {
            '.' | '!' | '?' | '…' => out.end_sentence(),
            // Not ':' ("Tories: a disgrace" is one thought; "Views: my own" one phrase).
            ',' | ';' | '—' | '–' | '(' | ')' | '[' | ']' => out.clause += 1,
            _ => {}
        }
        at += c.len_utf8();
    }
    Tokenized { tokens: out.tokens, text, buffer: out.buffer }
}

/// Whether the word ending at `end` runs into ".x", "://", "[.]" or "(.)": the first word
/// of a chunk that does may begin a URL.
///
/// Asked of nearly every word, so the byte after the word decides first: a space, most often.
fn looks_like_host_or_scheme(bytes: &[u8], end: usize) -> bool {
    let rest = &bytes[end..];
    match rest.first() {
        Some(b'.') => rest.get(1).is_some_and(u8::is_ascii_alphanumeric),
        Some(b':') => rest.starts_with(b"://"),
        Some(b'[') => rest.starts_with(b"[.]"),
        Some(b'(') => rest.starts_with(b"(.)"),
        _ => false,
    }
}

struct Builder<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    buffer: String,
    sentence: u32,
    clause: u32,
}

impl Builder<'_> {
    fn end_sentence(&mut self) {
        self.sentence += 1;
        self.clause += 1;
    }

    /// Ends a token whose normalised form is `norm_start..norm_end` (of the buffer, or of
    /// the text with [`NORM_IN_TEXT`] in `flags`).
    fn close_token(&mut self, start: usize, end: usize, norm_start: usize, norm_end: usize, kind: Kind, flags: u8) {
        self.tokens.push(Token { byte_start: start, byte_end: end, norm_start, norm_end, kind, flags, sentence: self.sentence, clause: self.clause });
    }

    fn push_raw(&mut self, start: usize, end: usize, kind: Kind, flags: u8, norm: &str) {
        let from = self.buffer.len();
        self.buffer.push_str(norm);
        self.close_token(start, end, from, self.buffer.len(), kind, flags);
    }

    /// Pushes a plain ASCII word read by [`plain_ascii_word`]: the text itself when it is
    /// lower case, else a copy lower-cased, digits read as letters if it is a disguised word.
    fn push_plain_ascii_word(&mut self, start: usize, word: PlainWord) {
        let (flags, deobfuscate) = word.flags_and_deobfuscate();
        if !deobfuscate && word.seen & UPPER == 0 {
            self.close_token(start, word.end, start, word.end, Kind::Word, flags | NORM_IN_TEXT);
            return;
        }
        let from = self.buffer.len();
        let raw = &self.text[start..word.end];
        if deobfuscate {
            self.buffer.extend(raw.chars().map(|c| leet(c).unwrap_or(c.to_ascii_lowercase())));
        } else {
            self.buffer.push_str(raw);
            self.buffer[from..].make_ascii_lowercase();
        }
        self.close_token(start, word.end, from, self.buffer.len(), Kind::Word, flags);
    }

    /// Pushes the word `text[start..end]`, normalised. `extra` adds flags.
    fn push_word(&mut self, start: usize, end: usize, kind: Kind, extra: u8) {
        let raw = &self.text[start..end];
        let core = strip_possessive(raw);
        let from = self.buffer.len();
        let flags = extra | if core.is_ascii() { fold_ascii_into(core, &mut self.buffer) } else { case_flags(core) | fold_into(core, &mut self.buffer) };
        if self.buffer.len() == from {
            return; // nothing but joiners: no token
        }
        self.close_token(start, end, from, self.buffer.len(), kind, flags);
    }

    /// A mention starting at the `@` at `start`.
    fn mention(&mut self, start: usize) -> usize {
        let text = self.text;
        let mut end = start + 1;
        for c in text[end..].chars() {
            if c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-') {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        while end > start + 1 && matches!(text.as_bytes()[end - 1], b'.' | b'-' | b'@') {
            end -= 1;
        }
        let norm: String = text[start..end].chars().flat_map(char::to_lowercase).collect();
        self.push_raw(start, end, Kind::Mention, 0, &norm);
        end
    }

    /// A hashtag whose body starts at `body` (just after `#`); returns the offset after it.
    fn hashtag(&mut self, body: usize) -> usize {
        let text = self.text;
        let mut end = body;
        for c in text[body..].chars() {
            if c.is_alphanumeric() || c == '_' {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        let parts = hashtag_parts(text, body, end);
        let whole = if parts.len() == 1 { HASHTAG_WHOLE } else { 0 };
        for (n, (s, e)) in parts.into_iter().enumerate() {
            let first = if n == 0 { HASHTAG_FIRST } else { 0 };
            self.push_word(s, e, Kind::Hashtag, first | whole);
        }
        end
    }
}

/// What one pass over a plain ASCII word learns: enough for its case flags and for the
/// de-obfuscation rule, so the word need not be read again.
#[derive(Clone, Copy)]
struct PlainWord {
    end: usize,
    letters: usize,
    /// The union of the [`BYTE_CLASS`]es of its bytes (an `@` standing for a letter counts
    /// as a mappable digit).
    seen: u8,
    first_upper: bool,
    letter_after_digit: bool,
}

impl PlainWord {
    fn flags_and_deobfuscate(&self) -> (u8, bool) {
        // Same rule as `fold_into`: not only trailing digits, all mappable, ≥ 3 letters.
        let deobfuscate = self.seen & DIGIT != 0 && self.letters >= 3 && self.seen & UNMAPPABLE == 0 && self.letter_after_digit;
        let mut flags = if deobfuscate { OBFUSCATED } else { 0 };
        if self.first_upper {
            flags |= CAPITALISED;
        }
        if self.letters >= 2 && self.seen & LOWER == 0 {
            flags |= ALL_CAPS;
        }
        (flags, deobfuscate)
    }
}

const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
/// A digit that stands for no letter (`2 6 8 9`): a word holding one is not disguised.
const UNMAPPABLE: u8 = 8;
const WORD: u8 = LOWER | UPPER | DIGIT;
/// ASCII white space as `char::is_whitespace` has it (not the 0x1C–0x1F separators).
const SPACE: u8 = 16;

/// Classes of bytes for the ASCII loops, 0 for anything else (every non-ASCII byte among
/// them): one table load per byte instead of a chain of range tests (the tokenizer, half
/// of a short post's check, spent about 20 instructions a byte before).
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'2' | b'6' | b'8' | b'9' => DIGIT | UNMAPPABLE,
            b'0'..=b'9' => DIGIT,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => SPACE,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// A plain ASCII word at `start` (letters and digits only), read in one pass, if the word
/// is plain: it does not continue with an apostrophe, a non-ASCII character, or the dot of
/// a dotted acronym. Otherwise `None`, and [`word_end`] decides.
fn plain_ascii_word(bytes: &[u8], start: usize) -> Option<PlainWord> {
    let mut end = start;
    let mut seen = 0u8;
    loop {
        while let Some(&b) = bytes.get(end) {
            let class = BYTE_CLASS[usize::from(b)];
            if class & WORD == 0 {
                break;
            }
            seen |= class;
            end += 1;
        }
        // "St@rmer", "l@bour": an `@` after a letter and before one stands for an `a`.
        if bytes.get(end) == Some(&b'@') && seen & (LOWER | UPPER) != 0 && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic) {
            seen |= DIGIT;
            end += 1;
            continue;
        }
        break;
    }
    let word = &bytes[start..end];
    let (letters, letter_after_digit) = if seen & DIGIT == 0 {
        (word.len(), false)
    } else {
        // Rare: a word with digits (or a disguising `@`) is read again for the rule's counts.
        let mut digit_seen = false;
        let mut after = false;
        let mut letters = 0;
        for &b in word {
            if b.is_ascii_alphabetic() {
                letters += 1;
                after |= digit_seen;
            } else {
                digit_seen = true;
            }
        }
        (letters, after)
    };
    let first_upper = seen & UPPER != 0 && word.iter().find(|b| b.is_ascii_alphabetic()).is_some_and(u8::is_ascii_uppercase);
    let w = PlainWord { end, letters, seen, first_upper, letter_after_digit };
    match bytes.get(end) {
        None => Some(w),
        Some(b'\'') => None,
        Some(b'.') if end - start == 1 && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic) => None,
        Some(&b) if b >= 0x80 => None,
        Some(_) => Some(w),
    }
}

/// The end of the word starting at `start`: letters and digits, inner apostrophes, and
/// dotted single-letter acronyms (`H.M.R.C`, `U.K.`).
fn word_end(text: &str, start: usize) -> usize {
    let bytes_after = |at: usize| text[at..].chars();
    let bytes = text.as_bytes();
    let mut end = start;
    let mut dotted = false;
    loop {
        let seg_start = end;
        while end < bytes.len() {
            if bytes[end] < 0x80 {
                let disguised_a =
                    bytes[end] == b'@' && end > start && bytes[end - 1].is_ascii_alphabetic() && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic);
                if !bytes[end].is_ascii_alphanumeric() && !disguised_a {
                    break;
                }
                end += 1;
            } else {
                match text[end..].chars().next() {
                    Some(c) if c.is_alphanumeric() => end += c.len_utf8(),
                    _ => break,
                }
            }
        }
        let mut rest = bytes_after(end);
        match (rest.next(), rest.next(), rest.next()) {
            (Some('\'' | '’'), Some(n), _) if n.is_alphanumeric() => {
                end += text[end..].chars().next().map_or(1, char::len_utf8);
            }
            (Some('.'), Some(n), after) if n.is_alphabetic() && text[seg_start..end].chars().count() == 1 && !after.is_some_and(char::is_alphanumeric) => {
                dotted = true;
                end += 1;
            }
            (Some('.'), _, _) if dotted => return end + 1, // the acronym's final dot
            _ => return end,
        }
    }
}

/// `HMRC's` → `HMRC`, `Tories’s` → `Tories`. Leaves `it` of `it's` alone only in the
/// sense that patterns are cut the same way, so both sides agree.
fn strip_possessive(raw: &str) -> &str {
    if !raw.ends_with(['s', 'S']) {
        return raw;
    }
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(core) = raw.strip_suffix(suffix) {
            if !core.is_empty() {
                return core;
            }
        }
    }
    raw
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '.')
}

fn case_flags(core: &str) -> u8 {
    let mut letters = 0;
    let mut lower = false;
    let mut first_upper = None;
    for c in core.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        lower |= c.is_lowercase();
        first_upper.get_or_insert(c.is_uppercase());
    }
    let mut flags = 0;
    if first_upper == Some(true) {
        flags |= CAPITALISED;
    }
    if letters >= 2 && !lower {
        flags |= ALL_CAPS;
    }
    flags
}

/// Appends the lower-cased, de-obfuscated form of `core` to `buffer`; returns
/// [`OBFUSCATED`] if digits were read as letters.
///
/// Digits count as letters only in tokens that look like disguised words: at least three
/// letters, every digit one of `0 1 3 4 5 7`, and not only trailing digits (`covid19`,
/// `G7`, `GS13` stay as they are).
fn fold_into(core: &str, buffer: &mut String) -> u8 {
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    let is_digit = |c: &char| c.is_ascii_digit() || *c == '@';
    let digits = core.chars().filter(is_digit).count();
    let mut seen_digit = false;
    let letter_after_digit = core.chars().any(|c| {
        seen_digit |= is_digit(&c);
        seen_digit && c.is_alphabetic()
    });
    let deobfuscate = digits > 0 && letters >= 3 && core.chars().filter(is_digit).all(|d| leet(d).is_some()) && letter_after_digit;
    // Mixed scripts: Latin letters with Cyrillic or Greek look-alikes ("Тories" with a
    // Cyrillic Т) are a disguise; a word wholly in another script is left alone.
    let homoglyphs = letters >= 3 && core.chars().any(|c| c.is_ascii_alphabetic()) && core.chars().any(|c| homoglyph(c).is_some());
    for c in core.chars().filter(|&c| !is_joiner(c)) {
        match leet(c).filter(|_| deobfuscate).or_else(|| homoglyph(c).filter(|_| homoglyphs)) {
            Some(letter) => buffer.push(letter),
            None => buffer.extend(c.to_lowercase()),
        }
    }
    if deobfuscate || homoglyphs {
        OBFUSCATED
    } else {
        0
    }
}

/// The Latin letter a Cyrillic or Greek look-alike stands for, lower case.
fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'В' | 'в' | 'β' | 'Β' => 'b',
        'с' | 'С' => 'c',
        'е' | 'Е' | 'ε' | 'Ε' => 'e',
        'Н' | 'н' | 'Η' => 'h',
        'і' | 'І' | 'ι' | 'Ι' => 'i',
        'ј' | 'Ј' => 'j',
        'К' | 'к' | 'κ' | 'Κ' => 'k',
        'М' | 'м' | 'Μ' => 'm',
        'Ν' | 'ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ѕ' | 'Ѕ' => 's',
        'Т' | 'т' | 'τ' | 'Τ' => 't',
        'υ' => 'u',
        'Х' | 'х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' | 'Υ' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

/// [`case_flags`] and [`fold_into`] for ASCII words, the common case: one classifying
/// pass, then a straight copy lower-cased in place unless joiners or digits need work.
fn fold_ascii_into(core: &str, buffer: &mut String) -> u8 {
    let (mut letters, mut lower, mut digits, mut joiners) = (0, false, 0, false);
    let (mut unmappable, mut letter_after_digit) = (false, false);
    let mut first_upper = None;
    for &b in core.as_bytes() {
        if b.is_ascii_alphabetic() {
            letters += 1;
            lower |= b.is_ascii_lowercase();
            first_upper.get_or_insert(b.is_ascii_uppercase());
            letter_after_digit |= digits > 0;
        } else if b.is_ascii_digit() || b == b'@' {
            digits += 1;
            unmappable |= leet(b as char).is_none();
        } else {
            joiners = true;
        }
    }
    // Same rule as `fold_into`: not only trailing digits, all mappable, ≥ 3 letters.
    let deobfuscate = digits > 0 && letters >= 3 && !unmappable && letter_after_digit;
    if !joiners && !deobfuscate {
        let from = buffer.len();
        // `core` is ASCII, so lower-casing in place keeps its length.
        buffer.push_str(core);
        buffer[from..].make_ascii_lowercase();
    } else {
        for &b in core.as_bytes() {
            match b {
                b'.' | b'\'' => {}
                b'0'..=b'9' | b'@' if deobfuscate => buffer.push(leet(b as char).unwrap_or(b as char)),
                _ => buffer.push(b.to_ascii_lowercase() as char),
            }
        }
    }
    let mut flags = if deobfuscate { OBFUSCATED } else { 0 };
    if first_upper == Some(true) {
        flags |= CAPITALISED;
    }
    if letters >= 2 && !lower {
        flags |= ALL_CAPS;
    }
    flags
}

fn leet(c: char) -> Option<char> {
    Some(match c {
        '@' => 'a',
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// The characters of `raw` a case-exact comparison looks at: joiners and a possessive
/// dropped, case kept.
pub(crate) fn cased_chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    strip_possessive(raw).chars().filter(|&c| !is_joiner(c))
}

/// Byte ranges of a hashtag body's parts: split at `_` and at case changes
/// (`VoteLabour` → `Vote`,`Labour`; `NHSCrisis` → `NHS`,`Crisis`; `iPhone` → `i`,`Phone`).
/// All-lower and all-upper bodies stay whole. Digits never split, so `T0riesOut` keeps
/// `T0ries` for the de-obfuscator.
fn hashtag_parts(text: &str, body: usize, end: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let chars: Vec<(usize, char)> = text[body..end].char_indices().map(|(i, c)| (body + i, c)).collect();
    let mut part_start: Option<usize> = None;
    for (k, &(at, c)) in chars.iter().enumerate() {
        if c == '_' {
            if let Some(s) = part_start.take() {
                parts.push((s, at));
            }
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1).filter(|&p| p != '_');
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let boundary = match prev {
            Some(p) if c.is_uppercase() => (p.is_lowercase() || p.is_ascii_digit()) || (p.is_uppercase() && next.is_some_and(char::is_lowercase)),
            _ => false,
        };
        if boundary {
            if let Some(s) = part_start.take() {
                parts.push((s, at));
            }
        }
        part_start.get_or_insert(at);
    }
    if let Some(s) = part_start {
        parts.push((s, end));
    }
    parts
}

/// A URL starting at `at` (the start of a whitespace-delimited chunk): `http(s)://…`,
/// `www.…`, or a bare host with a path or a common top-level domain
/// (`secure.actblue.com/donate`, `labour.org.uk`). Returns its byte range without
/// surrounding brackets, quotes or trailing punctuation.
fn url_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = &text.as_bytes()[at..];
    // Cheap reject: a URL has a dot before the chunk's end (most words have none, or
    // only a trailing full stop).
    let mut chunk_len = 0;
    let mut dot_inside = false;
    let mut defanged = false;
    while chunk_len < rest.len() {
        let b = rest[chunk_len];
        if b.is_ascii_whitespace() || (b >= 0xC0 && text[at + chunk_len..].starts_with(char::is_whitespace)) {
            break;
        }
        dot_inside |= b == b'.' && rest.get(chunk_len + 1).is_some_and(|n| n.is_ascii_alphanumeric());
        // "secure[.]actblue[.]com": a defanged link is still a link to that site.
        defanged |= b == b'.' && chunk_len > 0 && matches!((rest[chunk_len - 1], rest.get(chunk_len + 1)), (b'[', Some(b']')) | (b'(', Some(b')')));
        chunk_len += 1;
    }
    if !dot_inside && !defanged {
        return None;
    }
    let chunk_end = at + chunk_len;
    let chunk = &text[at..chunk_end];
    let lead = chunk.len() - chunk.trim_start_matches(['(', '<', '"', '\'', '“', '‘', '[']).len();
    let body = chunk[lead..].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '>', '"', '\'', '”', '’', ']']);
    if body.is_empty() {
        return None;
    }
    let refanged;
    let plain = if defanged {
        refanged = refang(body);
        refanged.as_str()
    } else {
        body
    };
    let starts = |prefix: &str| plain.len() >= prefix.len() && plain.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
    let is_url = starts("http://") || starts("https://") || starts("www.") || looks_like_bare_host(plain);
    is_url.then(|| (at + lead, at + lead + body.len()))
}

/// `secure[.]actblue[.]com` → `secure.actblue.com`.
fn refang(url: &str) -> String {
    url.replace("[.]", ".").replace("(.)", ".")
}

fn looks_like_bare_host(body: &str) -> bool {
    const COMMON_TLDS: [&str; 16] = ["com", "org", "net", "uk", "us", "gov", "io", "co", "app", "social", "me", "info", "eu", "au", "ca", "news"];
    let (host, has_path) = match body.find('/') {
        Some(slash) => (&body[..slash], true),
        None => (body, false),
    };
    if !host.contains('.') || !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let tld_ok = (2..=24).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic());
    tld_ok && (has_path || COMMON_TLDS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// Host (lower case, without `www.`) and path (lower case, from the first `/`) of a URL
/// token's text.
pub(crate) fn url_host_and_path(url: &str) -> (String, String) {
    let lower = refang(&url.to_ascii_lowercase());
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let host_end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let path_start = rest.find('/').unwrap_or(rest.len());
    (rest[..host_end].to_string(), rest[path_start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_agree_with_the_char_predicates() {
        for b in 0..=255u8 {
            let class = BYTE_CLASS[usize::from(b)];
            let c = b as char;
            let ascii = b < 0x80;
            assert_eq!(class == SPACE, ascii && c.is_whitespace(), "space {b:#x}");
            assert_eq!(class & WORD != 0, ascii && c.is_alphanumeric(), "word {b:#x}");
            assert_eq!(class & LOWER != 0, c.is_ascii_lowercase(), "lower {b:#x}");
            assert_eq!(class & UPPER != 0, c.is_ascii_uppercase(), "upper {b:#x}");
            assert_eq!(class & UNMAPPABLE != 0, c.is_ascii_digit() && leet(c).is_none(), "unmappable {b:#x}");
        }
    }

    fn norms(text: &str) -> Vec<String> {
        let t = tokenize(text);
        (0..t.tokens.len()).map(|i| t.norm(i).to_string()).collect()
    }

    #[test]
    fn words_fold_case_and_drop_joiners() {
        assert_eq!(norms("HMRC's H.M.R.C can’t U.K. Sinn Féin"), ["hmrc", "hmrc", "cant", "uk", "sinn", "féin"]);
    }

    #[test]
    fn digits_read_as_letters_only_in_disguised_words() {
        let t = tokenize("T0ries G7 covid19 GS13 L4bour 2024");
        let n: Vec<&str> = (0..t.tokens.len()).map(|i| t.norm(i)).collect();
        assert_eq!(n, ["tories", "g7", "covid19", "gs13", "labour", "2024"]);
        assert!(t.tokens[0].has(OBFUSCATED) && t.tokens[0].has(CAPITALISED));
        assert!(!t.tokens[1].has(OBFUSCATED));
    }

    #[test]
    fn hashtags_split_at_case_changes() {
        assert_eq!(
            norms("#VoteLabour #ToriesOut #NHSCrisis #votelabour #GTTO #vote_green"),
            ["vote", "labour", "tories", "out", "nhs", "crisis", "votelabour", "gtto", "vote", "green"]
        );
        let t = tokenize("#T0riesOut");
        assert_eq!(t.norm(0), "tories");
        assert_eq!(&"#T0riesOut"[t.tokens[0].byte_start - 1..t.tokens[0].byte_end], "#T0ries");
    }

    #[test]
    fn urls_and_mentions_are_single_opaque_tokens() {
        let t = tokenize("give at https://secure.actblue.com/donate/x, @alice@mastodon.social and labour.org.uk/donate.");
        let kinds: Vec<Kind> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Word, Kind::Word, Kind::Url, Kind::Mention, Kind::Word, Kind::Url]);
        let last = &t.tokens[5];
        assert_eq!(
            &"give at https://secure.actblue.com/donate/x, @alice@mastodon.social and labour.org.uk/donate."[last.byte_start..last.byte_end],
            "labour.org.uk/donate"
        );
        assert_eq!(url_host_and_path("https://www.WinRed.com/x?y"), ("winred.com".into(), "/x?y".into()));
        let t = tokenize("(https://labour.org.uk/donate) \"www.gop.com\" end.Then e.g. U.K.");
        let kinds: Vec<Kind> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Url, Kind::Url, Kind::Word, Kind::Word, Kind::Word, Kind::Word]);
    }

    #[test]
    fn defanged_links_are_links() {
        let text = "chip in! secure[.]actblue[.]com/donate/x now";
        let t = tokenize(text);
        let kinds: Vec<Kind> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Word, Kind::Word, Kind::Url, Kind::Word]);
        let url = &text[t.tokens[2].byte_start..t.tokens[2].byte_end];
        assert_eq!(url_host_and_path(url), ("secure.actblue.com".into(), "/donate/x".into()));
        assert_eq!(norms("the cat (.) sat [.]"), ["the", "cat", "sat"]);
    }

    #[test]
    fn at_signs_and_look_alike_letters_are_undone_in_disguised_words() {
        assert_eq!(norms("St@rmer l@bour Тories St@rmer's"), ["starmer", "labour", "tories", "starmer"]);
        let t = tokenize("St@rmer Тories");
        assert!(t.tokens.iter().all(|t| t.has(OBFUSCATED) && t.has(CAPITALISED)));
        // Whole words in another script, and a lone `@`, are not disguises.
        assert_eq!(norms("Путин a@b"), ["путин", "a@b"]);
    }

    #[test]
    fn sentences_and_clauses_are_counted() {
        let t = tokenize("a, b. c\nd");
        let s: Vec<(u32, u32)> = t.tokens.iter().map(|t| (t.sentence, t.clause)).collect();
        assert_eq!(s, [(0, 0), (0, 1), (1, 2), (2, 3)]);
    }

    #[test]
    fn odd_input_never_panics() {
        for text in ["", "#", "@", "'s", "’", "...", "#_", "@.", "a.b.c.", "é.", "http://", "\u{0}", "🇬🇧#🇬🇧", "x'", "I.", "ǅ"] {
            let t = tokenize(text);
            for i in 0..t.tokens.len() {
                let _ = t.norm(i);
            }
        }
    }
}
