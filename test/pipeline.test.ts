// Pure stages against fixture files (input and expected output side by side) and the seed
// corpus as a reader checks it.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_ARTICLES, buildDigest, inheritStoryIds, newestObjects, storyTextKey } from "../src/pipeline/build";
import { maxArticles } from "../src/config";
import { clean, sentencesOf, titleFromLead } from "../src/pipeline/clean";
import { calendarDays, parseDate } from "../src/pipeline/dates";
import { ingest, outletFromUrl } from "../src/pipeline/ingest";
import { stampPrefixLength, withoutLabel } from "../src/pipeline/signals";
import { contentTerms, splitSentences } from "../src/pipeline/text";
import { dedupe } from "../src/pipeline/dedupe";
import { bodyTermIds, termStats } from "../src/pipeline/terms";
import { NarrowBuffer, nthSmallest } from "../src/pipeline/collections";
import type { Story } from "../src/pipeline/types";
import { BASE, SEEDS } from "./helpers";

const inputs = import.meta.glob("./fixtures/ingest/*.{txt,md}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const expected = import.meta.glob("./fixtures/ingest/*.expected.json", { import: "default", eager: true }) as Record<string, Record<string, unknown>>;
const encode = (text: string) => new TextEncoder().encode(text);

describe("ingest + clean fixtures", () => {
  it("has an input beside every expectation", () => {
    expect(Object.keys(inputs).length).toBeGreaterThan(0);
    expect(Object.keys(inputs).map((path) => path.replace(/\.(txt|md)$/, ".expected.json")).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [path, text] of Object.entries(inputs)) {
    const name = path.replace(/^.*\//, "");
    it(name, () => {
      const article = clean(ingest({ path: name, bytes: encode(text), entered: null }));
      const want = expected[path.replace(/\.(txt|md)$/, ".expected.json")];
      expect({ url: article.url, headline: article.headline, published: article.published, source: article.source, firstParagraph: article.paragraphs[0] }).toEqual(want);
    });
  }
});

// Story fixtures: a folder of articles beside the stories and copies a reader should see.
const storyInputs = import.meta.glob("./fixtures/stories/*/*.{txt,md}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const storyExpectations = import.meta.glob("./fixtures/stories/*/expected.json", { import: "default", eager: true }) as Record<
  string,
  { stories: string[][]; duplicates: Record<string, string>; titles?: string[]; headlines?: Record<string, string | null> }
>;

describe("story fixtures", () => {
  it("has articles beside every expectation", () => {
    const folders = Object.keys(storyExpectations).map((path) => path.replace(/expected\.json$/, ""));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) expect(Object.keys(storyInputs).filter((path) => path.startsWith(folder)).length, folder).toBeGreaterThan(1);
  });
  for (const [expectedPath, want] of Object.entries(storyExpectations)) {
    const folder = expectedPath.replace(/expected\.json$/, "");
    it(folder.split("/").at(-2)!, () => {
      const files = Object.entries(storyInputs)
        .filter(([path]) => path.startsWith(folder))
        .map(([path, text]) => ({ path: path.slice(folder.length), bytes: encode(text), entered: "2024-08-01T00:00:00Z" }));
      const digest = buildDigest(files, {
        meta: { title: "t", description: "d", siteUrl: BASE, language: "en", ttlMinutes: 15 },
        generatedAt: "2024-08-01T00:00:00Z",
        fingerprint: folder,
      });
      const pathOf = new Map(digest.stories.flatMap((story) => story.articles.map((a) => [a.id, a.path])));
      const byFirstPath = digest.stories
        .map((story) => ({ story, paths: story.articles.map((a) => a.path).sort() }))
        .sort((x, y) => (x.paths[0] < y.paths[0] ? -1 : 1));
      const stories = byFirstPath.map(({ paths }) => paths);
      const duplicates = Object.fromEntries(
        digest.stories.flatMap((story) => story.articles.filter((a) => a.duplicateOf).map((a) => [a.path, pathOf.get(a.duplicateOf!)])),
      );
      expect({ stories, duplicates }).toEqual({ stories: want.stories, duplicates: want.duplicates });
      if (want.titles) expect(byFirstPath.map(({ story }) => story.title)).toEqual(want.titles);
      if (want.headlines) {
        const headlines = Object.fromEntries(digest.stories.flatMap((story) => story.articles.map((a) => [a.path, a.headline])));
        expect(headlines).toEqual(want.headlines);
      }
    });
  }
});

describe("publishing stamps in front of a sentence", () => {
  it.each([
    ["UPDATED: FRIDAY, MAY 3, 2013, 9:56 AM Lindsay Lohan checked into a clinic.", "Lindsay Lohan checked into a clinic."],
    ["Last Updated: Jul 07, 2012 8:44 PM ET Wladimir Klitschko stopped Tony Thompson.", "Wladimir Klitschko stopped Tony Thompson."],
    ["UPDATED 3:09 AM EST Dec 19, 2008 Despite the offer, talks go on.", "Despite the offer, talks go on."],
    ["PUBLISHED: MONDAY, MARCH 11, 2013, 10:34 PM UPDATED: TUESDAY, MARCH 12, 2013, 9:36 AM", ""],
    // A label followed by more than a date and a time is the sentence's own word.
    ["Published reports say the talks failed.", "Published reports say the talks failed."],
    ["Posted at 5 p.m. on the gate was a notice.", "Posted at 5 p.m. on the gate was a notice."],
    ["Updated figures show 5 more deaths.", "Updated figures show 5 more deaths."],
    ["Updated on Monday, the list now has 40 names.", "Updated on Monday, the list now has 40 names."],
  ])("%s", (sentence, rest) => expect(sentence.slice(stampPrefixLength(sentence))).toBe(rest));
});

describe("page furniture inside an article", () => {
  const text = [
    "Storm closes mountain pass",
    "Snow and high winds closed the mountain pass on Tuesday, stranding dozens of trucks, the highway agency said. Courtesy of the Valley Herald",
    "Sources said the pass could reopen on Thursday if the snow stops.",
    "Following the closure, police advised drivers to use the coast road. UPDATE:",
    "Follow the latest road news on our traffic blog at traffic.example-herald.com/updates.",
    "Crews cleared one lane by the evening. ON THE ROAD: Live traffic and weather updates",
    "SOURCE Mountain Highway Agency",
  ].join("\n\n");
  const article = clean(ingest({ path: "storm.txt", bytes: encode(text), entered: null }));
  const sentences = sentencesOf(article);

  it("drops photo credits, left-over labels, a press release's SOURCE footer and follow-us promotions", () => {
    expect(sentences.filter((s) => /Courtesy of|^SOURCE |^Follow |UPDATE:|ON THE ROAD/.test(s))).toEqual([]);
  });

  it("keeps the sentences around them, including ones that start alike", () => {
    expect(sentences).toEqual([
      "Snow and high winds closed the mountain pass on Tuesday, stranding dozens of trucks, the highway agency said.",
      "Sources said the pass could reopen on Thursday if the snow stops.",
      "Following the closure, police advised drivers to use the coast road.",
      "Crews cleared one lane by the evening.",
    ]);
  });
});

describe("sentence splitting on news text", () => {
  const cases: [string, string[]][] = [
    ["The U.S. Secretary of State arrived. Talks began at noon.", ["The U.S. Secretary of State arrived.", "Talks began at noon."]],
    ["Mr. Kihara met Austin in Tokyo. They signed a memo.", ["Mr. Kihara met Austin in Tokyo.", "They signed a memo."]],
    ["The vote is set for Jan. 5 in the capital. Polls open early.", ["The vote is set for Jan. 5 in the capital.", "Polls open early."]],
    ["President John F. Kennedy spoke. Crowds cheered.", ["President John F. Kennedy spoke.", "Crowds cheered."]],
    ["Growth slowed to 2.5 percent in May. Prices rose.", ["Growth slowed to 2.5 percent in May.", "Prices rose."]],
    ['"We will win," she said. The crowd roared.', ['"We will win," she said.', "The crowd roared."]],
    ["The talks (held in Tokyo.) ended. Both sides spoke.", ["The talks (held in Tokyo.) ended.", "Both sides spoke."]],
    ["It was the largest base in the U.S. The plan changes that.", ["It was the largest base in the U.S.", "The plan changes that."]],
    ["The Japan-U.S. Security Consultative Committee met on Sunday.", ["The Japan-U.S. Security Consultative Committee met on Sunday."]],
    ["Japan, U.S. eye security talks in Tokyo", ["Japan, U.S. eye security talks in Tokyo"]],
    ["Did they agree? Officials would not say.", ["Did they agree?", "Officials would not say."]],
    ["It closed at 5 p.m. on Friday after the storm.", ["It closed at 5 p.m. on Friday after the storm."]],
    // A headline pasted in front of its lead, and a page that lost a full stop.
    [
      "Quake shakes southern Iran, damages buildings An earthquake with a magnitude of 5.6 shook Qeshm.",
      ["Quake shakes southern Iran, damages buildings", "An earthquake with a magnitude of 5.6 shook Qeshm."],
    ],
    ["She entered rehab for undisclosed reasons The actress, 33, left on Friday.", ["She entered rehab for undisclosed reasons", "The actress, 33, left on Friday."]],
    ["Fresh wave of rioting hits Freedonia There's been more rioting in the capital.", ["Fresh wave of rioting hits Freedonia", "There's been more rioting in the capital."]],
    ["Protests born of deeper frustrations They gripped rocks and stones.", ["Protests born of deeper frustrations", "They gripped rocks and stones."]],
    ["Officer charged over boy's death A GREEK police officer has been charged.", ["Officer charged over boy's death", "A GREEK police officer has been charged."]],
    ["Blaze destroys supermarket HUGE flames were seen for miles.", ["Blaze destroys supermarket", "HUGE flames were seen for miles."]],
    [
      "Singer Finally Checks Into Rehab For Undisclosed Reasons It's been a long time coming, but the singer has entered a clinic.",
      ["Singer Finally Checks Into Rehab For Undisclosed Reasons", "It's been a long time coming, but the singer has entered a clinic."],
    ],
    ["Five Things To Know About The Vote A recap.", ["Five Things To Know About The Vote A recap."]],
    // Capitals that name things rather than start sentences.
    ["A quake centered near The Geysers shook Cobb.", ["A quake centered near The Geysers shook Cobb."]],
    ["Vitamin A deficiency is rare among the A list.", ["Vitamin A deficiency is rare among the A list."]],
    ["The Big Ten schools agreed on Monday.", ["The Big Ten schools agreed on Monday."]],
    ["Trump Combines Two of His Favorite Promises", ["Trump Combines Two of His Favorite Promises"]],
    ["Vice Premier He said the talks went well.", ["Vice Premier He said the talks went well."]],
    ["Analysts said NATO officials were divided.", ["Analysts said NATO officials were divided."]],
    ["The police SWAT team arrived at noon.", ["The police SWAT team arrived at noon."]],
    ["Reporters asked what It meant for the film.", ["Reporters asked what It meant for the film."]],
  ];
  it.each(cases)("%s", (input, sentences) => expect(splitSentences(input)).toEqual(sentences));
});

describe("titles made from the lead", () => {
  // A title ends a phrase: not on an article or preposition, not on a verb missing what it
  // needs, not mid-name; a clause that fits stays whole.
  const cases: [string, string][] = [
    ["Rescuers reached the flooded village on Tuesday.", "Rescuers reached the flooded village on Tuesday"],
    [
      "A gas explosion at a chemical plant killed a night-shift worker and a visiting safety inspector on Tuesday, officials said.",
      "A gas explosion at a chemical plant killed a night-shift worker",
    ],
    [
      "The navy captured nine piracy suspects who tried to take control of a merchant vessel off the coast of Yemen.",
      "The navy captured nine piracy suspects",
    ],
    [
      "The singer checked into a treatment centre in Arizona last week and cancelled the rest of her European tour.",
      "The singer checked into a treatment centre in Arizona last week",
    ],
    [
      "Now that the strike at the port has ended after six weeks, shipping companies are racing to clear a backlog of containers.",
      "Shipping companies are racing to clear a backlog of containers",
    ],
    [
      "Retired boxing champion Carlos Mendez succumbed to complications from pneumonia at a hospital in Miami on Friday night.",
      "Retired boxing champion Carlos Mendez succumbed to complications from pneumonia at a hospital",
    ],
    [
      "Smith (who had served as the party's leader since 2015 and twice ran for president) resigned on Monday after a long illness.",
      "Smith resigned on Monday after a long illness",
    ],
    [
      "Negotiators from both countries opened a fresh round of talks in Beijing and agreed to meet again next month in Geneva.",
      "Negotiators from both countries opened a fresh round of talks in Beijing",
    ],
    [
      "The company said its \u201Cnew flagship phone will ship to customers in Europe and Asia\u201D before the end of the year.",
      "The company said its \u201Cnew flagship phone will ship to customers in Europe and Asia\u201D",
    ],
    // An aside between subject and verb goes; a cut keeps the main verb, not only a relative clause's.
    [
      "A former factory worker who set fire to a warehouse in the harbour district last spring, has been sentenced to six years in prison, a court said.",
      "A former factory worker has been sentenced to six years",
    ],
    [
      "A county fire captain \u2014 a father of three and a 20-year veteran of the department \u2014 died on Sunday after a blaze at a lumber yard in the valley.",
      "A county fire captain died on Sunday",
    ],
    [
      "The veteran singer, who has spent four decades on the road with her band, cancelled her farewell tour on Monday after a fall at her home in Nashville.",
      "The veteran singer cancelled her farewell tour on Monday",
    ],
    [
      "Voters in the island nation cast ballots on Sunday in a referendum meant to show that the government has broad support for its reforms.",
      "Voters in the island nation cast ballots on Sunday in a referendum",
    ],
    ["Firefighters were still tackling the last of the flames which started on the roof of the depot before dawn on Tuesday.", "Firefighters were still tackling the last of the flames"],
    ["Maria Lopez, the veteran union leader whose strikes shut the docks in 2019, has died, her family said.", "Maria Lopez has died, her family said"],
    [
      "Maria Lopez, whose strikes shut the docks of the port city in 2019, died on Thursday night at a hospital in the capital.",
      "Maria Lopez died on Thursday night at a hospital in the capital",
    ],
    [
      "The people of the province have voted in the first regional election held after the adoption of a new charter earlier this year.",
      "The people of the province have voted in the first regional election",
    ],
    // A few words over the limit end a phrase that a cut at the limit would break.
    [
      "A recently dismissed employee of a regional logistics and freight company stormed the annual staff dinner party in Leeds, injuring two managers.",
      "A recently dismissed employee of a regional logistics and freight company stormed the annual staff dinner party",
    ],
    // A cut with no phrase to end at still never splits a name.
    [
      "Arson is suspected in the burning of the old chapel longtime harbour master John Ellis attends.",
      "Arson is suspected in the burning of the old chapel longtime harbour master",
    ],
    // An aside after the verb is part of what the sentence says: the cut falls elsewhere.
    [
      "Prices are falling for the first time since March - a sign that the long squeeze is ending - as wages rise across the country and demand for loans slows.",
      "Prices are falling for the first time since March",
    ],
  ];
  it.each(cases)("%s", (lead, title) => expect(titleFromLead(splitSentences(lead))).toBe(title));
});

describe("kickers in front of a headline", () => {
  const body = "Three people were hurt when a gas main exploded under a busy street in the city centre on Monday morning, the fire service said.";
  it.each([
    ["BREAKING: Gas blast injures three in city centre", "Gas blast injures three in city centre"],
    ["Breaking News-Three Hurt in Gas Blast Downtown", "Three Hurt in Gas Blast Downtown"],
    ["Breaking: three hurt in city centre gas blast", "Three hurt in city centre gas blast"],
    ["WATCH | Gas blast rocks city centre street", "Gas blast rocks city centre street"],
    // Labels that say something stay, and so does a word that only looks like a kicker.
    ["OPINION: Our gas mains are a ticking clock", "OPINION: Our gas mains are a ticking clock"],
    ["Report: Gas blast injures three downtown", "Report: Gas blast injures three downtown"],
    ["Live-streaming of council meeting draws crowd", "Live-streaming of council meeting draws crowd"],
    ["Update: Gas", "Update: Gas"],
  ])("%s", (headline, title) => {
    const article = clean(ingest({ path: "kicker.txt", bytes: new TextEncoder().encode(`${headline}\n\n${body}\n`), entered: null }));
    expect(article.title).toBe(title);
  });
});

describe("section labels opening a sentence", () => {
  it.each([
    ["Why it matters: The vote ends a two-year dispute.", "The vote ends a two-year dispute."],
    ["The big picture: Prices rose in every region last year.", "Prices rose in every region last year."],
    ["Reality check: No such law was ever passed.", "No such law was ever passed."],
    // Attributions and single names are not labels; nor is a label before a fragment.
    ["Police said: The suspect fled on foot.", "Police said: The suspect fled on foot."],
    ["He added: “We will not give up.”", "He added: “We will not give up.”"],
    ["Trump: Tariffs are the greatest thing ever.", "Trump: Tariffs are the greatest thing ever."],
    ["The answer: Not yet.", "The answer: Not yet."],
  ])("%s", (sentence, want) => expect(withoutLabel(sentence)).toBe(want));
});

describe("outlets named by a URL", () => {
  it.each([
    ["https://www.example.com/a", "example.com"],
    ["http://articles.example.com/2008/12/a.html", "example.com"],
    ["http://news.example.co.uk/2/hi/a.stm", "example.co.uk"],
    ["https://en.example.az/news/1", "example.az"],
    ["https://reporter.substack.com/p/a", "reporter.substack.com"],
    ["http://192.168.1.20/a", "192.168.1.20"],
    ["not a url", null],
  ])("%s", (url, outlet) => expect(outletFromUrl(url)).toBe(outlet));
});

describe("dates from datelines", () => {
  it.each([
    ["7:00 JST, July 29, 2024", "2024-07-28T22:00:00Z"],
    ["May 03, 2013", "2013-05-03T00:00:00Z"],
    ["Posted: 05/02/07, 9:00 PM PDT |", "2007-05-03T04:00:00Z"],
    ["10:24 AM, MON 22 JUL 2013", "2013-07-22T10:24:00Z"],
    ["Tokyo, 9 June, /AJMEDIA/", null],
    // US zones without standard/daylight: daylight time in August, standard time in mid-November.
    ["First Posted: 08/04/11 06:44 PM ET", "2011-08-04T22:44:00Z"],
    ["11/10/11 02:39 PM ET", "2011-11-10T19:39:00Z"],
    ["Updated 3:15 p.m. PT, Jan. 5, 2012", "2012-01-05T23:15:00Z"],
    // Before 2007 daylight time began in April: March 20, 2006 is standard time.
    ["March 20, 2006 10:00 a.m. ET", "2006-03-20T15:00:00Z"],
    ["First Posted 23:37:00 05/05/2010", "2010-05-05T23:37:00Z"],
    // Dates with dots, year first or day first; the date's digits are no time of day.
    ["Published: 2012.08.08 09:01 AM", "2012-08-08T09:01:00Z"],
    ["Article posted on 08.07.2012", "2012-07-08T00:00:00Z"],
    ["Sunday, November 27-2005 at 16:12", "2005-11-27T16:12:00Z"],
    ["Version 1.2.3 released", null],
  ])("%s → %s", (line, iso) => expect(parseDate(line)).toBe(iso));
});

describe("calendar days in sentences", () => {
  it.each([
    ["talks in Tokyo on July 28, sources said", ["7-28"]],
    ["held on 28 July 2024", ["7-28"]],
    ["one on Jan. 29 and another on Feb. 23, reports said", ["1-29", "2-23"]],
    ["a Sept. 30 deadline", ["9-30"]],
    ["they may 12 times", []],
    ["March 32 is no day", []],
    ["7 Mayors met", []],
  ])("%s", (text, days) => expect(calendarDays(text)).toEqual(days));
});

// Three made-up reports of one event. Two date it, late in the article; each has a central but
// undated sentence about delays, which would otherwise take the second place.
const BRIDGE: Record<string, string> = Object.fromEntries(
  Object.entries({
    "a.txt": [
      "Harbor Bridge closed after inspectors find cracked supports",
      "City engineers closed the Harbor Bridge to all traffic after inspectors found deep cracks in two of its steel supports, the city transport department said, leaving thousands of commuters looking for other routes into the city.",
      "City officials said the closure of the Harbor Bridge would cause serious traffic delays for commuters across the city for some time, and asked drivers to avoid the port district during rush hour.",
      "The transport department said the bridge would stay shut while engineers assess the damage and decide how the supports can be repaired.",
    ],
    "b.txt": [
      "Commuters face delays as Harbor Bridge shuts indefinitely",
      "The Harbor Bridge will remain closed to traffic until further notice after inspectors found cracked steel supports, the city transport department announced.",
      "City officials said the closure of the Harbor Bridge would cause traffic delays for commuters across the city for some time.",
      "Buses that normally cross the bridge will be diverted along the ring road, adding up to forty minutes to some journeys.",
      "Inspectors found the cracks during a routine check on March 14, the department said.",
    ],
    "c.txt": [
      "Cracks in steel supports shut Harbor Bridge",
      "Officials shut the Harbor Bridge to all traffic after cracks were found in its steel supports, leaving thousands of commuters to find other routes.",
      "The closure of the Harbor Bridge is expected to cause traffic delays for commuters in the city, officials said.",
      "Engineers are assessing the damage, and the department said it was too early to say when the bridge could reopen.",
      "The cracks were discovered in an inspection on March 14, according to the transport department.",
    ],
  }).map(([path, paragraphs]) => [path, paragraphs.join("\n\n") + "\n"]),
);
const summaryOf = (texts: Record<string, string>) => {
  const files = Object.entries(texts).map(([path, text]) => ({ path, bytes: encode(text), entered: "2024-03-16T00:00:00Z" }));
  const digest = buildDigest(files, {
    meta: { title: "t", description: "d", siteUrl: BASE, language: "en", ttlMinutes: 15 },
    generatedAt: "2024-03-16T00:00:00Z",
    fingerprint: "bridge",
  });
  expect(digest.stories).toHaveLength(1);
  return digest.stories[0].summary.map((s) => s.text);
};

describe("term counts", () => {
  it("keep counts past what a byte or two bytes hold", () => {
    // Counts are stored in the narrowest array that holds them all; one long article must
    // widen it, not wrap (300 as a byte is 44, 70,000 as two bytes is 4,464).
    const paragraphs = ["Floods closed the river road.", `The rain fell${" and rain".repeat(299)} all night.`, `Forecasters warned of storm${" after storm".repeat(69_999)} this week.`];
    const article = clean(ingest({ path: "long.txt", bytes: encode(paragraphs.join("\n\n")), entered: null }));
    const [deduped] = dedupe([article]);
    const stats = termStats([deduped]);
    const ids = [...bodyTermIds(stats, deduped)!];
    const countOf = (term: string) => stats.bodyCounts[ids.indexOf(stats.ids.get(term)!)];
    expect(countOf(contentTerms("rain")[0])).toBe(300);
    expect(countOf(contentTerms("storm")[0])).toBe(70_000);
    expect(countOf(contentTerms("forecasters")[0])).toBe(1);
  });

  it("are stored exactly, in as few bytes as their values allow", () => {
    const stored = (values: number[]) => {
      const buffer = new NarrowBuffer();
      for (const value of values) buffer.push(value);
      const array = buffer.toArray();
      return { bytes: array.BYTES_PER_ELEMENT, values: [...array] };
    };
    expect(stored([1, 2, 255])).toEqual({ bytes: 1, values: [1, 2, 255] });
    expect(stored([1, 256])).toEqual({ bytes: 2, values: [1, 256] });
    expect(stored([1, 70_000])).toEqual({ bytes: 4, values: [1, 70_000] });
    expect(stored([3, 0.5])).toEqual({ bytes: 4, values: [3, 0.5] });
    expect(stored([3, 0.1])).toEqual({ bytes: 8, values: [3, 0.1] });
  });

  it("grow by widening as values arrive, and end in the narrowest array that holds every value held", () => {
    // The first of these that holds each value exactly (all values here are from 0).
    const narrowest = (values: number[]) => [Uint8Array, Uint16Array, Int32Array, Float32Array, Float64Array].find((type) => values.every((v) => new type([v])[0] === v));
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const kinds = [() => Math.floor(random() * 256), () => 256 + Math.floor(random() * 60_000), () => 70_000 + Math.floor(random() * 1e6), () => 0.5 + Math.floor(random() * 100), () => 0.1 + random(), () => 2 ** 32 + Math.floor(random() * 4) * 2 ** 30];
    for (let round = 0; round < 300; round++) {
      const buffer = new NarrowBuffer();
      const values: number[] = [];
      const held: number[] = []; // every value ever stored, overwritten ones too
      const length = 1 + Math.floor(random() * 3000);
      for (let i = 0; i < length; i++) {
        // Mostly bytes, now and then a wider value, pushed or set over an earlier one.
        const value = random() < 0.995 ? kinds[0]() : kinds[Math.floor(random() * kinds.length)]();
        held.push(value);
        if (values.length > 0 && random() < 0.2) {
          const at = Math.floor(random() * values.length);
          values[at] = value;
          buffer.set(at, value);
        } else {
          values.push(value);
          buffer.push(value);
        }
      }
      const array = buffer.toArray();
      expect([...array]).toEqual(values);
      expect(array.constructor).toBe(narrowest(held));
    }
  });
});

describe("selection", () => {
  it("finds the value a sort puts at each index, ties and all", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const length = 1 + Math.floor(random() * 60);
      // Few distinct values, so ties are common, as with term weights.
      const values = Float32Array.from({ length }, () => Math.floor(random() * 8) / 4);
      const sorted = values.slice().sort();
      for (let k = 0; k < length; k++) expect(nthSmallest(values, k)).toBe(sorted[k]);
    }
  });
});

describe("summaries say when", () => {
  it("state a calendar day that two sources print", () => {
    const summary = summaryOf(BRIDGE);
    expect(summary[0]).toMatch(/closed the Harbor Bridge/);
    expect(summary.join(" ")).toMatch(/March 14/);
  });

  it("do not chase a day only one source prints", () => {
    const summary = summaryOf({ ...BRIDGE, "b.txt": BRIDGE["b.txt"].replace(" on March 14,", ",") });
    expect(summary.join(" ")).not.toMatch(/March 14/);
  });

  it("leave out an imperative that points the reader at another page", () => {
    // A video page: its one line of text sends the reader to the clip.
    const promo = "Cracks in steel supports shut Harbor Bridge\n\nWatch the transport department's engineers explain how the cracks were found during a routine check on March 14 (video).\n";
    const summary = summaryOf({ ...BRIDGE, "c.txt": promo });
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.filter((sentence) => sentence.startsWith("Watch"))).toEqual([]);
  });

  it("keep a sentence that opens with a noun spelled like an imperative (\"Follow-up checks …\")", () => {
    const report = "Cracks in steel supports shut Harbor Bridge\n\nFollow-up checks by the transport department's engineers found how the cracks spread during a routine check on March 14.\n";
    const summary = summaryOf({ ...BRIDGE, "c.txt": report });
    expect(summary.filter((sentence) => sentence.startsWith("Follow-up"))).toHaveLength(1);
  });

  it("leave out a sentence cut off inside brackets", () => {
    // As excerpts end: "… led by Jamie B. Raskin (D-Md." with the rest of the page gone.
    const cutOff = BRIDGE["a.txt"].replace(", the city transport department said, leaving thousands of commuters looking for other routes into the city.", ", the city transport department (CTD.");
    const summary = summaryOf({ ...BRIDGE, "a.txt": cutOff });
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.filter((sentence) => sentence.includes("(CTD."))).toEqual([]);
  });
});

describe("the seed corpus, as a reader checks it", () => {
  const files = Object.entries(SEEDS).map(([path, text]) => ({ path, bytes: encode(text), entered: "2024-07-30T00:00:00Z" }));
  const digest = buildDigest(files, {
    meta: { title: "t", description: "d", siteUrl: BASE, language: "en", ttlMinutes: 15 },
    generatedAt: "2024-07-30T00:00:00Z",
    fingerprint: "seeds",
  });
  const story = digest.stories[0];
  const everything = [
    story.title,
    ...story.summary.map((s) => s.text),
    ...story.articles.flatMap((a) => [a.title, ...a.paragraphs]),
  ].join("\n");

  it("is one story with all five reports as sources and no copies among them", () => {
    expect(digest.stories).toHaveLength(1);
    expect(story.articles).toHaveLength(5);
    expect(story.articles.every((a) => a.duplicateOf === null)).toBe(true);
  });

  it("has no boilerplate in titles, summary or cleaned text", () => {
    for (const junk of [/Related Posts/i, /Follow us/i, /POPULAR ARTICLE/i, /ACCESS RANKING/i, /Facebook Twitter/i, /©/, /credit/i, /Core Inflation/i, /Snoopy/]) {
      expect(everything).not.toMatch(junk);
    }
  });

  it("gives every article a sensible title, made from the lead when the page had none", () => {
    for (const article of story.articles) {
      const words = article.title.split(/\s+/).length;
      expect(words).toBeGreaterThanOrEqual(4);
      expect(words).toBeLessThanOrEqual(25);
      expect(article.title).not.toMatch(/credit|photo/i);
    }
    expect(story.articles.filter((a) => a.titleFromLead)).toHaveLength(2);
  });

  it("summarizes in 2–4 clean sentences that name their sources and say where and what", () => {
    expect(story.summary.length).toBeGreaterThanOrEqual(2);
    expect(story.summary.length).toBeLessThanOrEqual(4);
    const text = story.summary.map((s) => s.text).join(" ");
    const words = text.split(/\s+/).length;
    expect(words).toBeGreaterThanOrEqual(30);
    expect(words).toBeLessThanOrEqual(100); // five sources: a big story may run 20 words over the 80-word cap
    expect(text).toMatch(/Tokyo/);
    expect(text).toMatch(/July|Sunday/);
    expect(text).toMatch(/command|headquarters/i);
    expect(text).not.toMatch(/Protection Secretary|Safety Consultative|Photograph credit/);
    for (const sentence of story.summary) expect(sentence.articles.length).toBeGreaterThan(0);
  });

  it("says where, on the day the reports agree on, what was agreed and what else was discussed, each fact once", () => {
    const text = story.summary.map((s) => s.text).join(" ");
    const printing = story.articles.map((a) => new Set(a.paragraphs.flatMap((p) => calendarDays(p))));
    const agreedDays = [...new Set(printing.flatMap((days) => [...days]))].filter((day) => printing.filter((days) => days.has(day)).length >= 2);
    expect(agreedDays.length).toBeGreaterThan(0);
    expect(calendarDays(text).some((day) => agreedDays.includes(day))).toBe(true);
    expect(text).toMatch(/Tokyo/);
    expect(text).toMatch(/joint force headquarters|command and control/i);
    expect(text).toMatch(/extended deterrence/i);
    // Sentences share little more than the story's topic words.
    const terms = story.summary.map((s) => new Set(contentTerms(s.text)));
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const shared = [...terms[i]].filter((t) => terms[j].has(t)).length;
        expect(shared / new Set([...terms[i], ...terms[j]]).size).toBeLessThan(0.3);
      }
    }
  });

  it("titles the story with a clean headline, not the spun copy's", () => {
    expect(story.articles.some((a) => a.title === story.title && !a.titleFromLead)).toBe(true);
    expect(story.title).not.toMatch(/Protection|Safety/);
  });
});

describe("a story's summary and title", () => {
  // Other news from Japan (a typhoon nearing Tokyo, July's exports): stories of their own that
  // share words with the seeds' story ("Japan", "Tokyo", "United States", "July").
  const others = Object.entries(storyInputs)
    .filter(([path]) => path.includes("/japan-other-news/"))
    .map(([path, text]) => ({ path: path.replace(/^.*\//, "other/"), bytes: encode(text), entered: "2024-08-01T00:00:00Z" }));
  const seeds = Object.entries(SEEDS).map(([path, text]) => ({ path, bytes: encode(text), entered: "2024-07-30T00:00:00Z" }));
  const options = { meta: { title: "t", description: "d", siteUrl: BASE, language: "en", ttlMinutes: 15 }, generatedAt: "2024-08-01T00:00:00Z", fingerprint: "f" };
  const seedStoryOf = (digest: ReturnType<typeof buildDigest>) => digest.stories.find((story) => story.articles.some((a) => a.path === seeds[0].path))!;
  const seedStory = (files: typeof seeds) => seedStoryOf(buildDigest(files, options));

  it("stay word for word when articles of other stories arrive", () => {
    expect(others.length).toBe(4);
    const alone = seedStory(seeds);
    const among = seedStory([...seeds, ...others]);
    expect(among.articles.map((a) => a.path)).toEqual(alone.articles.map((a) => a.path));
    expect(among.summary).toEqual(alone.summary);
    expect(among.title).toBe(alone.title);
  });

  it("are taken from the previous build while the story's articles are as they were, and made again when one changes", () => {
    const first = buildDigest([...seeds, ...others], options);
    // A previous build's text marked, so a reused text is told from one made again.
    const previousText = new Map(first.stories.map((story) => [storyTextKey(story.articles), { title: `kept: ${story.title}`, summary: story.summary }]));
    const again = buildDigest([...seeds, ...others], { ...options, previousText });
    expect(again.stories.map((story) => story.title)).toEqual(first.stories.map((story) => `kept: ${story.title}`));
    const edited = seeds.map((file, i) => (i === 0 ? { ...file, bytes: encode(new TextDecoder().decode(file.bytes) + "\n\nThe ministers will meet again next year.\n") } : file));
    const afterEdit = buildDigest([...edited, ...others], { ...options, previousText });
    expect(seedStoryOf(afterEdit).title).not.toMatch(/^kept: /);
    expect(afterEdit.stories.filter((story) => story.title.startsWith("kept: "))).toHaveLength(first.stories.length - 1);
  });
});

describe("story ids across a split", () => {
  const story = (id: string, articles: string[]) => ({ id, articles: articles.map((a) => ({ id: a })) }) as unknown as Story;

  it("the larger part keeps the id, whichever part holds the founding article", () => {
    // All three articles were story sX, founded by p; p now stands alone, and its own
    // founder-derived id is sX again.
    const alone = story("sX", ["p"]);
    const larger = story("sNew", ["q", "r"]);
    inheritStoryIds([alone, larger], { p: "sX", q: "sX", r: "sX" });
    expect(larger.id).toBe("sX");
    expect(alone.id).not.toBe("sX");
    expect(alone.id).toMatch(/^s[0-9a-f]{12}$/);
  });

  it("a story with no article from the previous build keeps its founder's id", () => {
    const kept = story("sA", ["a"]);
    const fresh = story("sB", ["b"]);
    inheritStoryIds([kept, fresh], { a: "sOld" });
    expect([kept.id, fresh.id]).toEqual(["sOld", "sB"]);
  });
});

describe("the part of a corpus a digest covers", () => {
  const objects = [
    { path: "a.txt", entered: "2024-07-03T00:00:00Z" },
    { path: "b.txt", entered: null },
    { path: "c.txt", entered: "2024-07-01T00:00:00Z" },
    { path: "d.txt", entered: "2024-07-03T00:00:00Z" },
    { path: "e.txt", entered: "2024-07-02T00:00:00Z" },
  ];
  const cover = (limit: number, list = objects) => newestObjects(list, limit, (o) => o).map((o) => o.path);

  it("is the newest objects by entry time, in their given order; ties by path, undated ones oldest", () => {
    expect(cover(2)).toEqual(["a.txt", "d.txt"]);
    expect(cover(3)).toEqual(["a.txt", "d.txt", "e.txt"]);
    expect(cover(4)).toEqual(["a.txt", "c.txt", "d.txt", "e.txt"]);
    expect(cover(1), "a tie goes to the first path").toEqual(["a.txt"]);
    expect(cover(5)).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]);
  });

  it("does not depend on the order the objects come in", () => {
    const reversed = [...objects].reverse();
    expect(cover(3, reversed)).toEqual(["e.txt", "d.txt", "a.txt"]);
  });

  it("is set by DIGEST_MAX_ARTICLES, and a value that is not a whole number of at least 1 is an error", () => {
    expect(maxArticles({})).toBe(DEFAULT_MAX_ARTICLES);
    expect(maxArticles({ DIGEST_MAX_ARTICLES: "" })).toBe(DEFAULT_MAX_ARTICLES);
    expect(maxArticles({ DIGEST_MAX_ARTICLES: " 2500 " })).toBe(2500);
    for (const bad of ["0", "-5", "10k", "1.5", "1e4", "99999999999999999999"]) {
      expect(() => maxArticles({ DIGEST_MAX_ARTICLES: bad }), bad).toThrow(/DIGEST_MAX_ARTICLES must be a whole number of at least 1/);
    }
  });
});
