// Deterministic synthetic news corpus for the benchmark (scripts/bench.ts).
//
//   tsx scripts/synth.ts --n 1000 [--seed 42] --out <dir>    writes <dir>/<outlet>/<date>-<hex>.txt + labels.json + duplicates.json
//
// N articles from stories of 2–6 outlets each. Every story has its own names, places and
// numbers, drawn from a seeded syllable generator, on top of a shared news vocabulary and
// one of a few dozen event types (so two earthquakes share "quake" words but not places).
// About 5% of articles are exact copies, 5% near-copies (a few sentences edited) and 5%
// spun copies (15–30% of content words swapped for synonyms); outlets add page furniture
// (Related Posts lists, "Follow us on social", "© AGENCY", photo credits). Text is laid
// out like a scraped page: title, blank line, optional dateline, blank-line paragraphs.
// Same (n, seed) → byte-identical corpus. Pure generation, no I/O unless run as a CLI.

import { toRfc3339 } from "../src/pipeline/dates";
import type { CorpusFile } from "../src/pipeline/types";

/** mulberry32: tiny, fast, good enough for test data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

// ---------------------------------------------------------------------------------------
// Vocabulary

/** Synonym groups: the spinner's table, and a large share of the ordinary news vocabulary. */
const SYNONYMS: readonly (readonly string[])[] = [
  ["announced", "unveiled", "revealed"], ["plan", "proposal", "scheme"], ["government", "administration"],
  ["increase", "rise", "growth"], ["decline", "drop", "fall"], ["meeting", "talks", "session"],
  ["significant", "major", "substantial"], ["important", "crucial", "vital"], ["residents", "locals", "inhabitants"],
  ["officials", "authorities"], ["help", "assist", "aid"], ["begin", "start", "commence"],
  ["finish", "conclude", "complete"], ["large", "huge", "vast"], ["small", "minor", "modest"],
  ["quickly", "rapidly", "swiftly"], ["people", "individuals", "persons"], ["country", "nation"],
  ["city", "town", "municipality"], ["building", "structure", "facility"], ["vehicle", "car", "automobile"],
  ["company", "firm", "business"], ["funds", "money", "cash"], ["problem", "issue", "difficulty"],
  ["attack", "assault", "strike"], ["injured", "wounded", "hurt"], ["support", "backing", "assistance"],
  ["criticism", "condemnation", "censure"], ["investigation", "probe", "inquiry"], ["expected", "anticipated", "predicted"],
  ["recent", "latest", "newest"], ["previous", "prior", "earlier"], ["agreement", "deal", "accord"],
  ["leader", "chief", "head"], ["spokesperson", "spokesman", "representative"], ["statement", "announcement", "declaration"],
  ["report", "study", "survey"], ["warned", "cautioned", "alerted"], ["damage", "destruction", "harm"],
  ["area", "region", "zone"], ["community", "neighbourhood", "district"], ["emergency", "crisis"],
  ["workers", "employees", "staff"], ["prices", "costs", "rates"], ["project", "initiative", "programme"],
  ["law", "legislation", "statute"], ["protest", "demonstration", "rally"], ["forces", "troops", "units"],
  ["safety", "security", "protection"], ["measures", "steps", "actions"], ["response", "reaction", "reply"],
  ["efforts", "attempts", "endeavours"], ["continue", "persist", "carry"], ["reported", "documented", "recorded"],
  ["discussed", "debated", "considered"], ["confirmed", "verified", "affirmed"], ["described", "characterized", "portrayed"],
  ["difficult", "hard", "tough"], ["concerns", "worries", "fears"], ["immediately", "promptly", "instantly"],
  ["main", "primary", "principal"], ["several", "numerous", "multiple"], ["ensure", "guarantee", "secure"],
  ["improve", "enhance", "boost"], ["reduce", "cut", "lower"], ["provide", "supply", "offer"],
  ["require", "need", "demand"], ["allow", "permit", "enable"], ["change", "shift", "alteration"],
  ["goal", "aim", "objective"], ["result", "outcome", "consequence"], ["approach", "strategy", "method"],
];

const SYNONYM_OF = new Map<string, readonly string[]>();
for (const group of SYNONYMS) for (const word of group) SYNONYM_OF.set(word, group.filter((w) => w !== word));

const COMMON_CONTENT = [
  ...SYNONYMS.flat(),
  ..."percent year month day morning evening local national public service system policy health water power energy school hospital road bridge airport border trade tax budget bank industry office department committee council agency union party campaign member group family children student patient victim witness source data figure number level week hours minutes told added noted called held made took gave found left remained planned launched opened closed moved returned faced raised received signed passed rejected approved pledged urged sought claimed denied admitted vowed hoped tried decided agreed refused suggested indicated stressed highlighted insisted explained pointed followed included involved affected caused led brought kept showed began ended early late major further future current former senior junior regional central federal international domestic foreign political economic social financial military civil legal environmental private official independent general special annual daily overnight nearby across outside inside ahead afterwards recently already nearly almost largely mostly partly fully later soon again".split(
    " ",
  ),
];
const FUNCTION_WORDS = "the of and to in a for on that with was as by at from is it has have were are be been after its their this which who more than over about into when but not also had while during against between under before".split(" ");
const VERBS_SAID = ["said", "told reporters", "said in a statement", "added", "noted", "confirmed"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ROLES = ["minister", "mayor", "governor", "director", "spokesperson", "chairman", "commissioner", "president", "secretary", "prosecutor", "chief executive", "police chief"];
const ORG_NOUNS = ["Transit Authority", "Health Board", "Energy Company", "Port Authority", "Water Agency", "Central Bank", "Football Club", "University", "Chamber of Commerce", "Electoral Commission", "Fire Service", "Steel Works"];

interface EventType {
  words: string[];
  heads: string[];
}
const EVENT_TYPES: EventType[] = [
  ["quake magnitude tremor epicentre aftershock collapsed rubble rescuers seismic struck", "quake hits|quake kills|tremor shakes"],
  ["flood flooding rainfall river levee evacuated submerged downpour torrential swollen", "floods swamp|rains flood|river bursts banks in"],
  ["wildfire blaze firefighters hectares flames evacuation containment smoke scorched burning", "wildfire forces evacuations in|blaze scorches|fire crews battle blaze near"],
  ["election ballots candidate voters turnout constituency polling landslide incumbent runoff", "wins election in|voters head to polls in|election result disputed in"],
  ["strike union walkout wages picket negotiations bargaining stoppage pay dispute", "workers strike at|walkout hits|union calls strike over pay at"],
  ["merger acquisition shareholders takeover valuation bid regulators stake acquire antitrust", "agrees takeover of|bid for|merger talks with"],
  ["court verdict jury trial sentenced defendant prosecutors appeal acquitted testimony", "court convicts|jury acquits|sentenced in case of"],
  ["outbreak virus infections vaccine cases hospitalised epidemic quarantine symptoms contagious", "outbreak spreads in|virus cases climb in|vaccine drive begins in"],
  ["crash derailment collision passengers train wreckage carriages derailed signal track", "train crash near|derailment injures passengers in|collision on line to"],
  ["storm typhoon winds landfall gusts hurricane cyclone coastal surge outages", "typhoon batters|storm makes landfall near|cyclone lashes"],
  ["summit diplomats bilateral delegation treaty negotiators envoy sanctions ceasefire diplomatic", "leaders meet in|talks in|envoys agree ceasefire in"],
  ["budget deficit spending taxes revenue surplus borrowing fiscal austerity allocation", "budget unveiled in|deficit widens in|spending cuts announced in"],
  ["shooting gunman suspect gunfire victims police motive firearm arrested shot", "shooting in|gunman kills|police arrest suspect after shooting in"],
  ["explosion blast factory fumes chemical plant detonation debris ignited toxic", "blast at factory in|explosion rocks|chemical plant fire in"],
  ["satellite launch rocket orbit spacecraft mission payload liftoff booster astronauts", "rocket launch from|satellite reaches orbit for|mission lifts off from"],
  ["drought harvest crops farmers rainfall irrigation shortages livestock yields famine", "drought hits farmers in|harvest fails in|water shortages grip"],
  ["stadium tournament championship match goals coach players final season trophy", "wins final against|clinches title in|coach sacked by"],
  ["cyberattack hackers ransomware breach servers outage encrypted passwords malware leaked", "hackers breach|ransomware attack hits|data breach at"],
  ["protesters police demonstrators tear gas marched crackdown curfew detained slogans", "protests erupt in|police disperse marchers in|curfew imposed in"],
  ["airline flights passengers cancelled airport delays pilots runway grounded aviation", "flights cancelled at|airline grounds fleet in|airport chaos in"],
  ["tariffs exports imports trade deficit duties quotas shipments customs tariff", "tariffs hit exports from|trade dispute with|imposes duties on"],
  ["housing rents mortgage tenants landlords construction apartments affordability eviction homes", "rents soar in|housing plan for|tenants protest in"],
  ["landslide mudslide slope villages buried excavators search trapped hillside debris", "landslide buries village near|mudslide kills|search for trapped in"],
  ["scandal resignation allegations bribery corruption ethics lawmaker accused kickbacks probe", "resigns over scandal in|bribery charges for|corruption probe into"],
].map(([words, heads]) => ({ words: words.split(" "), heads: heads.split("|") }));

const SYLLABLES = "ka lo ri man tes vor an bel dra en fi gor ha is jun ko lin mar nor os pel qua ra sen tor ul vin wes ya zel bra cor del fen gal hen ir jor kel lum mer nal or pra quin ros sal tam ur val wen xan yor zan ber cal dor el fal gen hal ilo jas kav lor mon nev oma pal rin sor tur ula vek wil zor".split(" ");

function nameFactory(rng: Rng): (min: number, max: number) => string {
  const used = new Set<string>();
  return (min, max) => {
    for (;;) {
      let name = "";
      const parts = int(rng, min, max);
      for (let i = 0; i < parts; i++) name += pick(rng, SYLLABLES);
      if (!used.has(name)) {
        used.add(name);
        return cap(name);
      }
    }
  };
}

// ---------------------------------------------------------------------------------------
// Stories and articles

interface Outlet {
  name: string;
  slug: string;
  agency: string;
  related: boolean;
  follow: boolean;
  copyright: boolean;
  captions: number;
  datelineStyle: number;
}

interface StoryFacts {
  index: number;
  event: EventType;
  persons: string[];
  lastNames: string[];
  roles: string[];
  places: string[];
  org: string;
  numbers: string[];
  day: number;
  /** Sentences every outlet may quote (a statement, an official figure). */
  shared: string[];
  headline: string;
}

type ArticleKind = "original" | "exact" | "near" | "spun";

interface Draft {
  title: string;
  dateline: string | null;
  paragraphs: string[][];
  outlet: Outlet;
  date: Date;
}

export interface SynthArticle {
  path: string;
  text: string;
  /** Gold story label. */
  story: string;
  kind: ArticleKind;
  /** Path of the article this one copies (copies only). */
  copyOf: string | null;
  entered: string;
  /** Spun copies: share of content words swapped. */
  spinRate?: number;
}

export interface SynthCorpus {
  seed: number;
  articles: SynthArticle[];
  stories: number;
  counts: Record<ArticleKind, number>;
  /** A new report of an existing story, as an outlet would add it to the corpus. */
  extraArticle(seed: number): SynthArticle;
  /** The same article with a paragraph updated (new bytes, same path). */
  editedText(article: SynthArticle, seed: number): string;
}

const BASE_DAY = Date.UTC(2024, 6, 1);
const DAY_MS = 86_400_000;

function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}

class Writer {
  /** Words in the last sentence written (saves re-splitting it). */
  lastWords = 0;
  constructor(private rng: Rng) {}

  /** One sentence: shared vocabulary, event words, this story's names and numbers. */
  sentence(story: StoryFacts, minWords = 12, maxWords = 26): string {
    const rng = this.rng;
    const words: string[] = [];
    const length = int(rng, minWords, maxWords);
    let lastContent = false;
    while (words.length < length) {
      const r = rng();
      if (lastContent && r < 0.55) {
        words.push(pick(rng, FUNCTION_WORDS));
        lastContent = false;
        continue;
      }
      const s = rng();
      if (s < 0.07) words.push(pick(rng, story.places));
      else if (s < 0.11) words.push(pick(rng, story.lastNames));
      else if (s < 0.13) words.push(story.org);
      else if (s < 0.16) words.push(pick(rng, story.numbers));
      else if (s < 0.3) words.push(pick(rng, story.event.words));
      else words.push(pick(rng, COMMON_CONTENT));
      lastContent = true;
    }
    words[0] = cap(words[0]);
    this.lastWords = words.length;
    const text = words.join(" ");
    const form = rng();
    if (form < 0.15) {
      const p = Math.floor(rng() * story.persons.length);
      return `"${text}," ${story.persons[p]}, the ${story.roles[p]}, ${pick(rng, VERBS_SAID)}.`;
    }
    if (form < 0.25) return `${text}, ${pick(rng, ["officials", "witnesses", "analysts", "police"])} said.`;
    return text + ".";
  }

  lead(story: StoryFacts): string {
    const rng = this.rng;
    const p = Math.floor(rng() * story.persons.length);
    const place = pick(rng, story.places);
    const day = pick(rng, WEEKDAYS);
    const clause = this.sentence(story, 10, 18).replace(/[.,"]+$/g, "").replace(/^"/, "");
    const templates = [
      () => `${place.toUpperCase()} — ${clause.charAt(0).toLowerCase() + clause.slice(1)} on ${day}, ${story.persons[p]}, the ${story.roles[p]}, said.`,
      () => `${story.persons[p]}, the ${story.roles[p]} of ${story.org}, said on ${day} that ${clause.charAt(0).toLowerCase() + clause.slice(1)} in ${place}.`,
      () => `At least ${pick(rng, story.numbers)} ${pick(rng, story.event.words)} were reported in ${place} on ${day} as ${clause.charAt(0).toLowerCase() + clause.slice(1)}.`,
    ];
    return pick(rng, templates)();
  }

  paragraphs(story: StoryFacts, targetWords: number): string[][] {
    const rng = this.rng;
    const out: string[][] = [[this.lead(story)]];
    let words = out[0][0].split(" ").length;
    const sharedUsed = new Set<number>();
    while (words < targetWords) {
      const paragraph: string[] = [];
      const count = int(rng, 2, 4);
      for (let i = 0; i < count && words < targetWords; i++) {
        let sentence: string;
        if (rng() < 0.06 && sharedUsed.size < story.shared.length) {
          let k = Math.floor(rng() * story.shared.length);
          while (sharedUsed.has(k)) k = (k + 1) % story.shared.length;
          sharedUsed.add(k);
          sentence = story.shared[k];
          words += 20;
        } else {
          sentence = this.sentence(story);
          words += this.lastWords;
        }
        paragraph.push(sentence);
      }
      out.push(paragraph);
    }
    return out;
  }

  headline(story: StoryFacts): string {
    const rng = this.rng;
    const head = pick(rng, story.event.heads);
    const subject = rng() < 0.5 ? pick(rng, story.places) : story.lastNames[0];
    const extra = rng() < 0.5 ? ` as ${pick(rng, COMMON_CONTENT)} ${pick(rng, story.event.words)} ${pick(rng, ["grow", "mount", "ease", "deepen", "spread"])}` : ` ${pick(rng, ["amid", "after", "despite", "over"])} ${pick(rng, COMMON_CONTENT)} ${pick(rng, story.event.words)}`;
    let title: string;
    if (/ (in|near|from|at|of|for|to|with|against|into|by)$/.test(head)) title = `${cap(head)} ${pick(rng, story.places)}${extra}`;
    else title = `${subject} ${head}${extra}`;
    if (rng() < 0.4) title = title.replace(/\b([a-z])([a-z]{3,})/g, (_m, a: string, b: string) => a.toUpperCase() + b);
    return title.charAt(0).toUpperCase() + title.slice(1);
  }
}

function datelineFor(outlet: Outlet, date: Date, rng: Rng): string | null {
  const d = date.getUTCDate();
  const m = MONTHS[date.getUTCMonth()];
  const y = date.getUTCFullYear();
  const hh = String(int(rng, 6, 22)).padStart(2, "0");
  const mm = String(int(rng, 0, 59)).padStart(2, "0");
  switch (outlet.datelineStyle) {
    case 0:
      return `${m} ${d}, ${y}`;
    case 1:
      return `${d} ${m} ${y}`;
    case 2:
      return `${hh}:${mm} GMT, ${m} ${d}, ${y}`;
    case 3:
      return `Updated ${m.slice(0, 3)} ${d}, ${y} ${hh}:${mm}`;
    default:
      return null;
  }
}

function render(draft: Draft, story: StoryFacts, relatedTitles: string[], rng: Rng): string {
  const o = draft.outlet;
  const blocks: string[] = [draft.title];
  if (draft.dateline) blocks.push(draft.dateline);
  draft.paragraphs.forEach((p, i) => {
    blocks.push(p.join(" "));
    if (i === 1 && o.captions > 0 && rng() < o.captions) {
      blocks.push(`${pick(rng, story.persons)} speaks to reporters in ${pick(rng, story.places)} on ${pick(rng, WEEKDAYS)}. Photo credit: ${pick(rng, ["AP", "Reuters", "AFP", o.agency])}`);
    }
  });
  if (o.follow) blocks.push("Follow us on social\nFacebook | Twitter | Email");
  if (o.related) blocks.push(["Related Posts", ...relatedTitles].join("\n\n"));
  if (o.copyright) blocks.push(`© ${o.agency}`);
  return blocks.join("\n\n") + "\n";
}

function spin(text: string, rate: number, rng: Rng): { text: string; rate: number } {
  // Split keeping separators; swap a share of the content words that have synonyms.
  const parts = text.split(/(\W+)/);
  let content = 0;
  const swappable: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const w = parts[i];
    if (!w || /\d/.test(w)) continue;
    const lower = w.toLowerCase();
    if (FUNCTION_WORDS.includes(lower) || (w !== lower && w !== cap(lower))) continue;
    content++;
    if (SYNONYM_OF.has(lower)) swappable.push(i);
  }
  const want = Math.min(swappable.length, Math.round(rate * content));
  // Partial Fisher–Yates: the first `want` of a shuffled copy.
  for (let k = 0; k < want; k++) {
    const j = k + Math.floor(rng() * (swappable.length - k));
    [swappable[k], swappable[j]] = [swappable[j], swappable[k]];
    const i = swappable[k];
    const w = parts[i];
    const sub = pick(rng, SYNONYM_OF.get(w.toLowerCase())!);
    parts[i] = w === w.toLowerCase() ? sub : cap(sub);
  }
  return { text: parts.join(""), rate: content ? want / content : 0 };
}

function hex(rng: Rng, digits: number): string {
  let s = "";
  for (let i = 0; i < digits; i++) s += "0123456789abcdef"[Math.floor(rng() * 16)];
  return s;
}

/** Generate a corpus of exactly `n` articles. */
export function synthCorpus(n: number, seed = 42): SynthCorpus {
  const rng = mulberry32(seed);
  const name = nameFactory(mulberry32(seed ^ 0x5eed));
  const writer = new Writer(rng);

  const outlets: Outlet[] = Array.from({ length: 48 }, (_, i) => {
    const base = name(2, 3);
    const suffix = pick(rng, ["Times", "Herald", "Post", "Daily", "News", "Tribune", "Observer", "Wire", "Gazette", "Journal"]);
    return {
      name: `${base} ${suffix}`,
      slug: `${base.toLowerCase()}-${suffix.toLowerCase()}-${i}`,
      agency: base.toUpperCase(),
      related: rng() < 0.4,
      follow: rng() < 0.3,
      copyright: rng() < 0.4,
      captions: rng() < 0.4 ? 0.5 : 0,
      datelineStyle: int(rng, 0, 4),
    };
  });
  const placePool = Array.from({ length: 4000 }, () => name(2, 3));
  const firstPool = Array.from({ length: 400 }, () => name(2, 2));
  const lastPool = Array.from({ length: 6000 }, () => name(2, 3));
  const orgPool = Array.from({ length: 1500 }, () => `${pick(rng, placePool)} ${pick(rng, ORG_NOUNS)}`);

  const stories: StoryFacts[] = [];
  const articles: SynthArticle[] = [];
  const counts: Record<ArticleKind, number> = { original: 0, exact: 0, near: 0, spun: 0 };
  const days = Math.max(30, Math.round(n / 150));
  const usedPaths = new Set<string>();

  const newStory = (): StoryFacts => {
    const index = stories.length;
    const persons = Array.from({ length: 2 }, () => `${pick(rng, firstPool)} ${pick(rng, lastPool)}`);
    const story: StoryFacts = {
      index,
      event: pick(rng, EVENT_TYPES),
      persons,
      lastNames: persons.map((p) => p.split(" ")[1]),
      roles: persons.map(() => pick(rng, ROLES)),
      places: Array.from({ length: int(rng, 1, 2) }, () => pick(rng, placePool)),
      org: pick(rng, orgPool),
      numbers: [formatNumber(int(rng, 12, 99)), formatNumber(int(rng, 100, 9999)), `${int(rng, 1, 9)}.${int(rng, 1, 9)}`],
      day: int(rng, 0, days - 1),
      shared: [],
      headline: "",
    };
    story.shared = Array.from({ length: 3 }, () => writer.sentence(story));
    story.headline = writer.headline(story);
    stories.push(story);
    return story;
  };

  const relatedTitles = (count: number): string[] =>
    Array.from({ length: count }, () => (stories.length ? pick(rng, stories).headline : "Latest headlines"));

  const pathFor = (outlet: Outlet, date: Date): string => {
    for (;;) {
      const path = `${outlet.slug}/${date.toISOString().slice(0, 10)}-${hex(rng, 10)}.txt`;
      if (!usedPaths.has(path)) {
        usedPaths.add(path);
        return path;
      }
    }
  };

  /** An original report, and the draft its copies are made from. */
  const writeOriginal = (story: StoryFacts, outlet: Outlet): { article: SynthArticle; draft: Draft } => {
    const date = new Date(BASE_DAY + (story.day + int(rng, 0, 2)) * DAY_MS + int(rng, 0, 86_399) * 1000);
    const draft: Draft = {
      title: rng() < 0.5 ? story.headline : writer.headline(story),
      dateline: datelineFor(outlet, date, rng),
      paragraphs: writer.paragraphs(story, int(rng, 300, 900)),
      outlet,
      date,
    };
    const article: SynthArticle = {
      path: pathFor(outlet, date),
      text: render(draft, story, relatedTitles(int(rng, 3, 5)), rng),
      story: `story-${story.index}`,
      kind: "original",
      copyOf: null,
      entered: toRfc3339(new Date(date.getTime() + int(rng, 60, 7200) * 1000)),
    };
    return { article, draft };
  };

  const copyOf = (original: SynthArticle, draft: Draft, story: StoryFacts, kind: ArticleKind, outlet: Outlet): SynthArticle => {
    const date = new Date(draft.date.getTime() + int(rng, 1, 48) * 3_600_000);
    const base = { path: pathFor(outlet, date), story: original.story, kind, copyOf: original.path, entered: toRfc3339(new Date(date.getTime() + 600_000)) };
    if (kind === "exact") return { ...base, text: original.text };
    if (kind === "near") {
      const paragraphs = draft.paragraphs.map((p) => [...p]);
      const edits = int(rng, 2, 4);
      for (let e = 0; e < edits; e++) {
        const p = int(rng, 1, paragraphs.length - 1);
        const s = Math.floor(rng() * paragraphs[p].length);
        if (rng() < 0.3 && paragraphs[p].length > 1) paragraphs[p].splice(s, 1);
        else paragraphs[p][s] = writer.sentence(story);
      }
      const edited: Draft = { ...draft, paragraphs, outlet, dateline: datelineFor(outlet, date, rng) };
      return { ...base, text: render(edited, story, relatedTitles(int(rng, 3, 5)), rng) };
    }
    const rate = 0.15 + rng() * 0.15;
    const spun: Draft = { ...draft, outlet, dateline: datelineFor(outlet, date, rng) };
    const body = render(spun, story, relatedTitles(int(rng, 3, 5)), rng);
    const result = spin(body, rate, rng);
    return { ...base, text: result.text, spinRate: result.rate };
  };

  // Copies are ~15% of all articles (5% of each kind): each original gets one with p = 0.15/0.85.
  const COPY_P = 0.15 / 0.85;
  while (articles.length < n) {
    const story = newStory();
    const size = int(rng, 2, 6);
    const order = [...outlets].sort(() => rng() - 0.5).slice(0, size);
    for (const outlet of order) {
      if (articles.length >= n) break;
      const { article: original, draft } = writeOriginal(story, outlet);
      articles.push(original);
      counts.original++;
      const r = rng();
      if (r < COPY_P && articles.length < n) {
        const kind: ArticleKind = r < COPY_P / 3 ? "exact" : r < (2 * COPY_P) / 3 ? "near" : "spun";
        const copier = pick(rng, outlets.filter((o) => o !== outlet));
        articles.push(copyOf(original, draft, story, kind, copier));
        counts[kind]++;
      }
    }
  }
  // Path order is what the pipeline sees; shuffle the array too so nothing depends on story order.
  for (let i = articles.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [articles[i], articles[j]] = [articles[j], articles[i]];
  }

  return {
    seed,
    articles,
    stories: stories.length,
    counts,
    extraArticle(extraSeed: number): SynthArticle {
      const r = mulberry32(extraSeed);
      const story = stories[Math.floor(r() * stories.length)];
      return writeOriginal(story, outlets[Math.floor(r() * outlets.length)]).article;
    },
    editedText(article: SynthArticle, editSeed: number): string {
      const r = mulberry32(editSeed);
      const blocks = article.text.split("\n\n");
      const at = Math.min(blocks.length - 1, 2 + Math.floor(r() * 3));
      blocks.splice(at, 0, `Update: ${pick(r, COMMON_CONTENT)} ${pick(r, FUNCTION_WORDS)} ${pick(r, COMMON_CONTENT)} ${pick(r, COMMON_CONTENT)} were ${pick(r, COMMON_CONTENT)} on ${pick(r, WEEKDAYS)}, officials said.`);
      return blocks.join("\n\n");
    },
  };
}

const encoder = new TextEncoder();

/** Corpus files as the pipeline reads them. */
export function toCorpusFiles(articles: SynthArticle[]): CorpusFile[] {
  return articles.map((a) => ({ path: a.path, bytes: encoder.encode(a.text), entered: a.entered }));
}

/** Gold grouping (path → story) and gold copies (copy path → original path). */
export function goldLabels(articles: SynthArticle[]): { stories: Map<string, string>; copies: Map<string, string> } {
  const stories = new Map<string, string>();
  const copies = new Map<string, string>();
  for (const a of articles) {
    stories.set(a.path, a.story);
    if (a.copyOf) copies.set(a.path, a.copyOf);
  }
  return { stories, copies };
}

// CLI: write a corpus folder (same layout as the eval corpora: files + labels.json + duplicates.json).
async function main(): Promise<void> {
  const { parseArgs } = await import("node:util");
  const { mkdir, writeFile } = await import("node:fs/promises");
  const { dirname, join } = await import("node:path");
  const { values } = parseArgs({ options: { n: { type: "string", default: "1000" }, seed: { type: "string", default: "42" }, out: { type: "string" } } });
  const started = performance.now();
  const corpus = synthCorpus(Number(values.n), Number(values.seed));
  const ms = performance.now() - started;
  if (!values.out) {
    const words = corpus.articles.reduce((s, a) => s + a.text.split(/\s+/).length, 0);
    console.log(JSON.stringify({ articles: corpus.articles.length, stories: corpus.stories, counts: corpus.counts, words, ms: Math.round(ms) }));
    return;
  }
  for (const a of corpus.articles) {
    const target = join(values.out, a.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, a.text);
  }
  const gold = goldLabels(corpus.articles);
  await writeFile(join(values.out, "labels.json"), JSON.stringify(Object.fromEntries(gold.stories), null, 1));
  await writeFile(join(values.out, "duplicates.json"), JSON.stringify(Object.fromEntries(gold.copies), null, 1));
  console.log(`synth: ${corpus.articles.length} articles, ${corpus.stories} stories → ${values.out} (${Math.round(ms)} ms)`);
}

if (process.argv[1] && /synth\.ts$/.test(process.argv[1])) void main();
