// Story identity over time: ids survive rebuilds, upload order, new sources and a removed
// founder; the publish guard holds back a build that would lose most stories.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { rebuild } from "../src/rebuild";
import { SEEDS, clearStorage, get, putArticles, runCron } from "./helpers";

interface Published {
  stories: { id: string; updated: string | null; articles: { id: string; path: string }[] }[];
}
const digest = async () => (await (await get("/digest.json")).json()) as Published;
const storyOf = (d: Published, path: string) => d.stories.find((s) => s.articles.some((a) => a.path === path))!;

// Five unrelated events, each its own story.
const EVENTS: Record<string, string> = {
  "events/quake.txt": "Earthquake of magnitude 7.1 strikes off Chile\n\nA magnitude 7.1 earthquake struck off the coast of northern Chile near Antofagasta on Friday, damaging roads and cutting power to 40,000 homes, officials said.\n",
  "events/election.txt": "Portugal votes in snap parliamentary election\n\nVoters in Portugal went to the polls on Sunday in a snap parliamentary election called after Prime Minister Rui Costa resigned over a procurement scandal in Lisbon.\n",
  "events/merger.txt": "Two Dutch banks agree 12 billion euro merger\n\nThe Dutch lenders Vanbrug and Kestrel Bank agreed on Tuesday to merge in a 12 billion euro deal that will create the country's third-largest bank, the companies said in Amsterdam.\n",
  "events/fire.txt": "Wildfire forces 3,000 to evacuate in Greek island of Evia\n\nFirefighters battled a wildfire on the Greek island of Evia on Wednesday as strong winds forced 3,000 residents and tourists to evacuate villages near Karystos.\n",
  "events/launch.txt": "Indian space agency launches lunar rover mission\n\nThe Indian Space Research Organisation launched its Chandra-5 lunar rover from Sriharikota on Thursday, aiming to land near the Moon's south pole in six weeks.\n",
};

describe("story ids", () => {
  beforeEach(clearStorage);

  // The pipeline sorts by path, so upload order cannot show: this checks that a forced rebuild
  // and a rebuild from scratch (storage cleared, everything uploaded again) give the same ids.
  it("stay the same across a forced rebuild and a rebuild from scratch", async () => {
    await putArticles({ ...SEEDS, ...EVENTS });
    await runCron();
    const first = await digest();
    expect(first.stories).toHaveLength(6); // the seed story and five events
    expect((await rebuild(env, { force: true })).status).toBe("published");
    expect((await digest()).stories.map((s) => s.id).sort()).toEqual(first.stories.map((s) => s.id).sort());

    await clearStorage();
    await putArticles({ ...SEEDS, ...EVENTS });
    await runCron();
    expect((await digest()).stories.map((s) => s.id).sort()).toEqual(first.stories.map((s) => s.id).sort());
  });

  it("stay the same when a story gains a source, whose arrival moves the story's updated date", async () => {
    await putArticles({ ...SEEDS, ...EVENTS });
    await runCron();
    const before = storyOf(await digest(), "events/quake.txt");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await putArticles({
      "events/quake-followup.txt":
        "Chile earthquake: power restored in Antofagasta\n\nPower was restored on Saturday to most of the 40,000 homes in Antofagasta that lost it when a magnitude 7.1 earthquake struck off northern Chile on Friday, officials said.\n",
    });
    await runCron();
    const after = storyOf(await digest(), "events/quake-followup.txt");
    expect(after.id).toBe(before.id);
    expect(after.articles.map((a) => a.path)).toContain("events/quake.txt");
    expect(after.updated! > before.updated!).toBe(true);
  });

  it("stay the same when the founding article of a story is removed", async () => {
    await putArticles({ ...SEEDS, ...EVENTS });
    await runCron();
    const story = storyOf(await digest(), Object.keys(SEEDS)[0]);
    const founder = story.articles[0].path;
    await env.CORPUS.delete(founder);
    await runCron();
    const remaining = story.articles.find((a) => a.path !== founder)!.path;
    const after = storyOf(await digest(), remaining);
    expect(after.id).toBe(story.id);
    expect(after.articles.map((a) => a.path)).not.toContain(founder);
  });
});

describe("publish guard", () => {
  beforeEach(clearStorage);

  it("keeps the live digest when a build would drop most stories, until an operator allows it", async () => {
    await putArticles(EVENTS);
    await runCron();
    expect((await digest()).stories.length).toBe(5);
    for (const key of Object.keys(EVENTS).slice(1)) await env.CORPUS.delete(key);
    await runCron();
    expect((await digest()).stories.length).toBe(5);
    const health = (await (await get("/healthz")).json()) as { lastError: { message: string } | null };
    expect(health.lastError?.message).toMatch(/publish guard/);
    const result = await rebuild(env, { allowShrink: true });
    expect(result.status).toBe("published");
    expect((await digest()).stories.length).toBe(1);
  });
});
