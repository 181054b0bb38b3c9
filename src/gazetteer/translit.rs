//! Rough transliteration to Latin letters, used only by fuzzy lookup.
//!
//! The index itself keeps every script as it is (see [`super::normalize`]);
//! fuzzy lookup compares *skeletons*: the normalized name transliterated from
//! Cyrillic, Armenian and Georgian, then with common spelling variants folded
//! (kh/x, sh/s, q/g, y/i, doubled letters ...). "Степанакерт",
//! "Ստեփանակերտ" and "Stepanakert" share one skeleton, and so do "Shusha"
//! and "Şuşa".

/// Transliterate an already-normalized (lowercase) name to Latin letters.
/// Characters of other scripts are kept.
pub fn to_latin(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    to_latin_into(s, &mut out);
    out
}

/// [`to_latin`], appending to `out`.
pub fn to_latin_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.push_str(s);
        return;
    }
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let before = prev.replace(c);
        // Armenian digraph ու = u, and word-initial ե/ո = ye/vo.
        if c == 'ո' && chars.peek() == Some(&'ւ') {
            chars.next();
            out.push('u');
            continue;
        }
        if c == 'ե' && word_start_of(before) {
            out.push_str("ye");
            continue;
        }
        if c == 'ո' && word_start_of(before) {
            out.push_str("vo");
            continue;
        }
        match latin_for(c) {
            Some(t) => out.push_str(t),
            None => out.push(c),
        }
    }
}

/// No letter before: a word starts. Only two Armenian letters ask, so only
/// they pay for the Unicode lookup of the character before them (names in
/// other scripts are most of the non-ASCII ones).
fn word_start_of(before: Option<char>) -> bool {
    !before.is_some_and(char::is_alphabetic)
}

fn latin_for(c: char) -> Option<&'static str> {
    Some(match c {
        // Russian / Ukrainian / Belarusian Cyrillic.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // Azerbaijani, Caucasian and Central Asian Cyrillic letters.
        'ә' => "a",
        'ғ' => "gh",
        'ҝ' => "g",
        'қ' => "q",
        'ҹ' => "j",
        'һ' => "h",
        'ө' => "o",
        'ү' => "u",
        'ұ' => "u",
        'ј' => "y",
        'ң' => "n",
        'ӏ' => "",
        // Armenian (lowercase; normalize() lowercases).
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' => "e",
        'զ' => "z",
        'է' => "e",
        'ը' => "y",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' => "o",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' => "r",
        'ս' => "s",
        'վ' => "v",
        'տ' => "t",
        'ր' => "r",
        'ց' => "ts",
        'ւ' => "v",
        'փ' => "p",
        'ք' => "k",
        'և' => "ev",
        'օ' => "o",
        'ֆ' => "f",
        // Georgian (Mkhedruli).
        'ა' => "a",
        'ბ' => "b",
        'გ' => "g",
        'დ' => "d",
        'ე' => "e",
        'ვ' => "v",
        'ზ' => "z",
        'თ' => "t",
        'ი' => "i",
        'კ' => "k",
        'ლ' => "l",
        'მ' => "m",
        'ნ' => "n",
        'ო' => "o",
        'პ' => "p",
        'ჟ' => "zh",
        'რ' => "r",
        'ს' => "s",
        'ტ' => "t",
        'უ' => "u",
        'ფ' => "p",
        'ქ' => "k",
        'ღ' => "gh",
        'ყ' => "q",
        'შ' => "sh",
        'ჩ' => "ch",
        'ც' => "ts",
        'ძ' => "dz",
        'წ' => "ts",
        'ჭ' => "ch",
        'ხ' => "kh",
        'ჯ' => "j",
        'ჰ' => "h",
        _ => return None,
    })
}

/// The fuzzy-matching skeleton of an already-normalized name: Latin letters,
/// common romanization variants folded, doubled letters collapsed.
pub fn skeleton(normalized: &str) -> String {
    let mut out = String::new();
    skeleton_into(normalized, &mut out, &mut String::new());
    out
}

/// [`skeleton`], appending to `out`; `scratch` is reused working space.
pub fn skeleton_into(normalized: &str, out: &mut String, scratch: &mut String) {
    scratch.clear();
    to_latin_into(normalized, scratch);
    let latin: &str = scratch;
    let b = latin.as_bytes();
    let mut i = 0;
    let mut last: Option<char> = None;
    while i < latin.len() {
        let rest = &b[i..];
        let (c, used) = if rest.starts_with(b"dzh") {
            ('j', 3)
        } else if rest.starts_with(b"kh") {
            ('x', 2)
        } else if [b"sh", b"zh", b"ch", b"gh"]
            .iter()
            .any(|d| rest.starts_with(*d))
        {
            (rest[0] as char, 2)
        } else {
            let ch = latin[i..].chars().next().expect("in bounds");
            let mapped = match ch {
                'q' => 'g',
                'y' => 'i',
                'w' => 'v',
                c => c,
            };
            (mapped, ch.len_utf8())
        };
        i += used;
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
}

#[cfg(test)]
mod tests {
    use super::{skeleton, to_latin};
    use crate::gazetteer::normalize;

    #[test]
    fn transliterates_cyrillic_armenian_georgian() {
        let cases = [
            ("Степанакерт", "stepanakert"),
            ("Ստեփանակերտ", "stepanakert"),
            ("Шуша", "shusha"),
            ("Շուշի", "shushi"),
            ("Ханкенди", "khankendi"),
            ("Երևան", "yerevan"),
            // Word-initial ո is vo, after a letter o; a word starts again
            // after a space (normalize turns a hyphen into one).
            ("Ոսկեպար", "voskepar"),
            ("Նոր Երզնկա", "nor yerznka"),
            ("Մեղրի-Ոսկեպար", "meghri voskepar"),
            ("თბილისი", "tbilisi"),
            ("Баку", "baku"),
            ("Kəlbəcər", "kalbacar"),
        ];
        for (input, want) in cases {
            assert_eq!(to_latin(&normalize(input)), want, "to_latin({input:?})");
        }
    }

    #[test]
    fn skeletons_fold_spelling_variants() {
        let same = [
            ("Shusha", "Şuşa"),
            ("Khankendi", "Xankendi"),
            ("Gubadly", "Qubadlı"),
            ("Jabrayil", "Dzhabrayil"),
            ("Степанакерт", "Stepanakert"),
            ("Ստեփանակերտ", "Stepanakert"),
            ("Aghdam", "Ağdam"),
        ];
        for (a, b) in same {
            assert_eq!(
                skeleton(&normalize(a)),
                skeleton(&normalize(b)),
                "{a:?} vs {b:?}"
            );
        }
    }
}
