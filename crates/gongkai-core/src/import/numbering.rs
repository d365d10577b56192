//! Numbering: the Chinese numerals that number sections (一、 … 十六、 … 二十一、) and the
//! Arabic numbers that number tasks ("12." or "１２．"), plus reading numbers inside text.

/// The numeral characters for 0 … 9, as plans write them.
const NUMERAL_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The mark that follows a section numeral.
pub(super) const SECTION_MARK: char = '、';

/// Longest task number we read; longer digit runs are text (years, phone numbers).
const MAX_TASK_NUMBER_DIGITS: usize = 4;

/// Writes `n` the way plans number sections: 一, 十, 十六, 二十一, 一百零五.
pub(super) fn chinese_numeral(n: u32) -> String {
    let hundreds = (n / 100) as usize;
    let tens = ((n / 10) % 10) as usize;
    let ones = (n % 10) as usize;
    let mut numeral = String::new();
    if hundreds > 0 {
        numeral.push_str(&chinese_numeral(hundreds as u32));
        numeral.push('百');
        if tens == 0 && ones > 0 {
            numeral.push('零');
        }
    }
    if tens > 1 || (tens == 1 && hundreds > 0) {
        numeral.push(NUMERAL_DIGITS[tens]);
    }
    if tens > 0 {
        numeral.push('十');
    }
    if ones > 0 || n == 0 {
        numeral.push(NUMERAL_DIGITS[ones]);
    }
    numeral
}

/// Whether `c` can be part of a Chinese numeral (一 … 九, 两, 十, 百, 千, 〇, 零).
pub(super) fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit_value(c).is_some() || matches!(c, '十' | '百' | '千' | '零' | '〇')
}

fn chinese_digit_value(c: char) -> Option<u32> {
    match c {
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Reads the Chinese numeral that `chars` starts with. Returns its value and how many
/// characters it takes, or `None` if there is none or it is malformed ("二二", "十十").
pub(super) fn read_chinese_number(chars: &[char]) -> Option<(u32, usize)> {
    let run = chars.iter().take_while(|c| is_chinese_numeral_char(**c)).count();
    if run == 0 {
        return None;
    }
    let mut total: u32 = 0;
    let mut pending_digit: Option<u32> = None;
    let mut last_multiplier = u32::MAX;
    for &c in &chars[..run] {
        if let Some(digit) = chinese_digit_value(c) {
            if pending_digit.is_some() {
                return None;
            }
            pending_digit = Some(digit);
            continue;
        }
        let multiplier = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                // 零 / 〇 only separate places.
                if pending_digit.is_some() {
                    return None;
                }
                continue;
            }
        };
        if multiplier >= last_multiplier {
            return None;
        }
        last_multiplier = multiplier;
        total += pending_digit.take().unwrap_or(1) * multiplier;
    }
    total += pending_digit.unwrap_or(0);
    (total > 0).then_some((total, run))
}

/// The value of an Arabic digit, half-width or full-width.
pub(super) fn arabic_digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Reads the run of Arabic digits `chars` starts with: its value (saturating) and length.
pub(super) fn read_arabic_number(chars: &[char]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut length = 0;
    for &c in chars {
        let Some(digit) = arabic_digit_value(c) else { break };
        value = value.saturating_mul(10).saturating_add(digit);
        length += 1;
    }
    (length > 0).then_some((value, length))
}

/// The section number `text` starts with ("十八、…" → 18), whatever the expected one is.
pub(super) fn leading_section_number(text: &str) -> Option<u32> {
    let mut start = ['\0'; 8];
    let mut length = 0;
    for c in text.chars().take(start.len()) {
        if length == 0 && !is_chinese_numeral_char(c) {
            return None;
        }
        start[length] = c;
        length += 1;
    }
    let (number, numeral_length) = read_chinese_number(&start[..length])?;
    (start.get(numeral_length) == Some(&SECTION_MARK)).then_some(number)
}

/// What a text starts with, as far as digits go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LeadingDigits {
    /// No digit.
    None,
    /// A year: four digits and 年 ("2021年底前").
    Year,
    /// Any other number ("5%", "5个工作日", "15前").
    Number,
}

/// Tells whether `text` starts with a year, another number or no digit at all.
pub(super) fn leading_digits(text: &str) -> LeadingDigits {
    let mut chars = text.chars();
    let mut digits = 0;
    let mut next = chars.next();
    while next.and_then(arabic_digit_value).is_some() && digits <= 4 {
        digits += 1;
        next = chars.next();
    }
    match digits {
        0 => LeadingDigits::None,
        4 if next == Some('年') => LeadingDigits::Year,
        _ => LeadingDigits::Number,
    }
}

/// A task number at the start of a text: "12." or "１２．".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TaskMarker {
    /// The number written.
    pub number: u32,
    /// Bytes taken by the digits and the dot.
    pub len: usize,
    /// What the text right after the dot starts with.
    pub followed_by: LeadingDigits,
    /// Nothing but whitespace follows the dot in this text.
    pub ends_text: bool,
}

/// Reads the task marker `text` starts with, whatever its number.
pub(super) fn leading_task_marker(text: &str) -> Option<TaskMarker> {
    let mut chars = text.char_indices().peekable();
    let mut number: u32 = 0;
    let mut digits = 0;
    while let Some(&(_, c)) = chars.peek() {
        let Some(digit) = arabic_digit_value(c) else { break };
        number = number * 10 + digit;
        digits += 1;
        if digits > MAX_TASK_NUMBER_DIGITS {
            return None;
        }
        chars.next();
    }
    let (dot_at, dot) = chars.next()?;
    if digits == 0 || !matches!(dot, '.' | '．') {
        return None;
    }
    let len = dot_at + dot.len_utf8();
    let after = &text[len..];
    Some(TaskMarker {
        number,
        len,
        followed_by: leading_digits(after),
        ends_text: after.trim().is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_are_written_as_plans_write_them() {
        let written: Vec<String> =
            [1, 10, 11, 16, 20, 21, 99, 100, 105, 110].map(chinese_numeral).into();
        assert_eq!(
            written,
            [
                "一",
                "十",
                "十一",
                "十六",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零五",
                "一百一十"
            ]
        );
    }

    #[test]
    fn numerals_read_back() {
        for n in 1..=300 {
            let chars: Vec<char> = chinese_numeral(n).chars().collect();
            assert_eq!(read_chinese_number(&chars), Some((n, chars.len())), "{n}");
        }
        let two: Vec<char> = "两次".chars().collect();
        assert_eq!(read_chinese_number(&two), Some((2, 1)));
        let bad: Vec<char> = "二二".chars().collect();
        assert_eq!(read_chinese_number(&bad), None);
    }

    #[test]
    fn markers() {
        assert_eq!(leading_section_number("十八、加强"), Some(18));
        let followed = |text| leading_task_marker(text).map(|m| (m.number, m.followed_by));
        assert_eq!(followed("32.2021年底前"), Some((32, LeadingDigits::Year)));
        assert_eq!(followed("12.5%"), Some((12, LeadingDigits::Number)));
        assert_eq!(followed("7.5个工作日"), Some((7, LeadingDigits::Number)));
        assert_eq!(followed("7.做好"), Some((7, LeadingDigits::None)));
        assert_eq!(followed("7.20215年"), Some((7, LeadingDigits::Number)));
        assert!(leading_task_marker("7． ").is_some_and(|m| m.ends_text));
        assert_eq!(leading_task_marker("１２．做好").map(|m| (m.number, m.len)), Some((12, 9)));
        assert_eq!(leading_task_marker("345”政府热线"), None);
        assert_eq!(leading_task_marker("2022年底前"), None);
    }
}
