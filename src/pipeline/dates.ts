// Dates as news pages print them ("July 29, 2024", "7:00 JST, July 29, 2024", "05/02/07, 9:00 PM PDT")
// → RFC 3339 UTC. A date without a year is not a date here: we never invent one.

export const MONTH_NAMES = "january february march april may june july august september october november december".split(" ");
const WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split(" ");
/** Month names and their abbreviations ("jan", "sept") → 1–12. */
const MONTHS: Record<string, number> = { sept: 9 };
MONTH_NAMES.forEach((name, i) => {
  MONTHS[name] = MONTHS[name.slice(0, 3)] = i + 1;
});

// Offsets in minutes east of UTC for the zone names datelines use.
const ZONES: Record<string, number> = {
  utc: 0, gmt: 0, z: 0, bst: 60, cet: 60, cest: 120, eet: 120, eest: 180, msk: 180, ist: 330, pkt: 300,
  ict: 420, wib: 420, sgt: 480, hkt: 480, cst: -360, cdt: -300, est: -300, edt: -240, mst: -420, mdt: -360,
  pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600, jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

// US zones printed without saying standard or daylight time ("06:44 PM ET"): standard offsets,
// an hour more while US daylight saving time is on.
const US_GENERIC_ZONES: Record<string, number> = { et: -300, ct: -360, mt: -420, pt: -480 };

/** Zone names a time stamp may end with, for patterns that must not take a word for a zone. */
export const ZONE_NAME = `(?:${[...Object.keys(ZONES), ...Object.keys(US_GENERIC_ZONES)].filter((z) => z.length > 1).map((z) => z.toUpperCase()).join("|")})`;

/**
 * Whether US daylight saving time is on that day: from the second Sunday of March to the first
 * Sunday of November since 2007, from the first Sunday of April to the last of October before.
 */
function usDaylightTime(year: number, month: number, day: number): boolean {
  const nthSunday = (m: number, n: number): number => {
    const first = new Date(Date.UTC(year, m - 1, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  };
  const lastSunday = (m: number): number => {
    const last = new Date(Date.UTC(year, m, 0));
    return last.getUTCDate() - last.getUTCDay();
  };
  const [startMonth, startDay, endMonth, endDay] = year >= 2007 ? [3, nthSunday(3, 2), 11, nthSunday(11, 1)] : [4, nthSunday(4, 1), 10, lastSunday(10)];
  const key = month * 100 + day;
  return key >= startMonth * 100 + startDay && key < endMonth * 100 + endDay;
}

/** Each month's name with its abbreviation, as patterns: "jan", "sept", "july". */
const MONTH_PATTERNS = ["jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?", "aug(?:ust)?", "sept?(?:ember)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?"];
/** A month's name or its abbreviation, as a pattern (no group, no full stop), for case-blind expressions. */
export const MONTH_WORD = `(?:${MONTH_PATTERNS.join("|")})`;
/** A weekday's name or its abbreviation, as a pattern: "Tue", "Thurs", "Wednesday". */
export const WEEKDAY_WORD = "(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)";
const MONTH_NAME = `(${MONTH_WORD})\\.?`;
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
const YEAR = "((?:19|20)\\d{2})";

const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH_NAME}\\s+${DAY}(?:,?\\s+|-)${YEAR}\\b`, "i");
const DAY_MONTH_YEAR = new RegExp(`\\b${DAY}\\s+${MONTH_NAME},?\\s+${YEAR}\\b`, "i");
const ISO_DATE = /\b((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\b/;
const NUMERIC_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})\b/;
// Dates with dots are written year first ("2012.08.08") or day first ("08.07.2012", as in Europe).
const DOTTED_YMD = /\b((?:19|20)\d{2})\.(\d{1,2})\.(\d{1,2})\b/;
const DOTTED_DMY = /\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b/;
const TIME = /\b(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?(?:\s*\(?([a-z]{1,5})\)?)?(?![\w:])/i;

/** Does this text contain something we read as a full date? */
export function containsDate(text: string): boolean {
  return parseDate(text) !== null;
}

/** A date found in a text: the match (its characters) and its year, month and day. */
interface FoundDate {
  match: RegExpExecArray;
  year: number;
  month: number;
  day: number;
}

/** The first date without a time of day in `text`, by the first of these forms that occurs. */
function dateIn(text: string): FoundDate | null {
  const found = (match: RegExpExecArray, year: number, month: number, day: number): FoundDate => ({ match, year, month, day });
  const mdy = MONTH_DAY_YEAR.exec(text);
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (mdy && (!dmy || mdy.index <= dmy.index)) return found(mdy, Number(mdy[3]), monthNumber(mdy[1]), Number(mdy[2]));
  if (dmy) return found(dmy, Number(dmy[3]), monthNumber(dmy[2]), Number(dmy[1]));
  const numeric = NUMERIC_DATE.exec(text);
  if (numeric) {
    // US order (M/D/Y) unless the first number cannot be a month.
    let [a, b] = [Number(numeric[1]), Number(numeric[2])];
    if (a > 12 && b <= 12) [a, b] = [b, a];
    return found(numeric, numeric[3].length === 2 ? 2000 + Number(numeric[3]) : Number(numeric[3]), a, b);
  }
  const dottedYmd = DOTTED_YMD.exec(text);
  if (dottedYmd) return found(dottedYmd, Number(dottedYmd[1]), Number(dottedYmd[2]), Number(dottedYmd[3]));
  const dottedDmy = DOTTED_DMY.exec(text);
  if (dottedDmy) {
    // Day first unless the second number cannot be a month.
    let [a, b] = [Number(dottedDmy[1]), Number(dottedDmy[2])];
    if (b > 12 && a <= 12) [a, b] = [b, a];
    return found(dottedDmy, Number(dottedDmy[3]), b, a);
  }
  return null;
}

/** The first full date in `text` as RFC 3339 UTC, with its time and zone when given; else null. */
export function parseDate(text: string): string | null {
  const iso = ISO_DATE.exec(text);
  if (iso && iso[4] !== undefined) {
    const stamp = `${iso[1]}-${iso[2]}-${iso[3]}T${iso[4]}:${iso[5]}:${iso[6] ?? "00"}${normalizeOffset(iso[7])}`;
    const parsed = new Date(stamp);
    return isNaN(parsed.getTime()) ? null : toRfc3339(parsed);
  }
  const date = iso ? { match: iso, year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) } : dateIn(text);
  if (!date) return null;
  const { match, year, month, day } = date;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1900 && year <= 2100)) return null;
  let minutes = 0;
  let offset = 0;
  // The date's own characters are blanked before looking for a time ("08.07.2012" holds "08.07").
  const time = TIME.exec(text.slice(0, match.index) + " ".repeat(match[0].length) + text.slice(match.index + match[0].length));
  if (time) {
    let hour = Number(time[1]);
    const minute = Number(time[2]);
    const meridiem = time[3]?.toLowerCase().replace(/\./g, "");
    if (meridiem === "pm" && hour < 12) hour += 12;
    if (meridiem === "am" && hour === 12) hour = 0;
    if (hour < 24 && minute < 60) {
      minutes = hour * 60 + minute;
      const zone = time[4]?.toLowerCase();
      if (zone && zone in ZONES) offset = ZONES[zone];
      else if (zone && zone in US_GENERIC_ZONES) offset = US_GENERIC_ZONES[zone] + (usDaylightTime(year, month, day) ? 60 : 0);
    }
  }
  const utc = Date.UTC(year, month - 1, day, 0, minutes - offset);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return toRfc3339(new Date(utc));
}

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().replace(/\.$/, "")] ?? 0;
}

/**
 * A weekday or month name in full, lower-cased ("tuesday", "december"): capitalized in English
 * but not a name. "may" is left out: it is also a name ("Theresa May").
 */
export function isCalendarName(word: string): boolean {
  return word !== "may" && (WEEKDAY_NAMES.includes(word) || MONTH_NAMES.includes(word));
}

function normalizeOffset(offset: string | undefined): string {
  if (!offset) return "Z";
  if (offset === "Z") return "Z";
  return offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
}

/** RFC 3339 in UTC without milliseconds: the one date format every output uses. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// A day of the month with a capitalized month name either side ("July 28", "28 July", "Sept. 30").
// MONTH_NAME with each month capitalized, matched case-sensitively ("may" is a verb).
const CAPITALIZED_MONTH = `((?:${MONTH_PATTERNS.map((pattern) => pattern[0].toUpperCase() + pattern.slice(1)).join("|")}))\\.?`;
const CALENDAR_DAY = new RegExp(`\\b(?:${CAPITALIZED_MONTH}\\s+${DAY}\\b|${DAY}\\s+${CAPITALIZED_MONTH}(?![a-z]))`, "g");

/**
 * The calendar days a sentence names ("July 28", "28 July", "Jan. 5"), as "month-day" keys,
 * so two outlets that print one day differently agree. Month names must be capitalized
 * ("may" is a verb); a number outside 1–31 is no day.
 */
export function calendarDays(text: string): string[] {
  const days: string[] = [];
  if (!/\d/.test(text)) return days;
  for (const m of text.matchAll(CALENDAR_DAY)) {
    const month = monthNumber(m[1] ?? m[4]);
    const day = Number(m[2] ?? m[3]);
    if (month > 0 && day >= 1 && day <= 31) days.push(`${month}-${day}`);
  }
  return days;
}
