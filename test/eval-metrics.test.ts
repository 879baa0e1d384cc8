// Hand-checked cases for the eval metrics; every expected number is worked out in a comment.
import { describe, it, expect } from "vitest";
import {
  adjustedRandIndex,
  bcubed,
  clusteringMetrics,
  duplicateMetrics,
  pairwise,
  rougeL,
  rougeN,
  rougeScores,
  rougeTokens,
} from "../src/eval/metrics";

describe("clustering metrics", () => {
  it("scores a perfect clustering 1.0 everywhere, whatever the label names", () => {
    const gold = { a: "A", b: "A", c: "B", d: "C", e: "C" };
    const pred = new Map([["a", 7], ["b", 7], ["c", 1], ["d", 2], ["e", 2]]);
    const m = clusteringMetrics(pred, new Map(Object.entries(gold)));
    expect(m.items).toBe(5);
    expect(m.missing).toBe(0);
    expect(m.predictedClusters).toBe(3);
    expect(m.goldClusters).toBe(3);
    expect(m.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(m.pairwise).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(m.ari).toBe(1);
  });

  // Gold: {a,b} {c,d}. Gold pairs: ab, cd (2). C(4,2) = 6.
  const gold = { a: "A", b: "A", c: "B", d: "B" };

  it("all in one cluster", () => {
    const pred = { a: 0, b: 0, c: 0, d: 0 };
    const m = clusteringMetrics(pred, gold);
    // B-cubed: each item's cluster has 4 members, 2 correct: P = 2/4 = 0.5; R = 1;
    // F = 2*0.5*1/1.5 = 2/3.
    expect(m.bcubed.precision).toBeCloseTo(0.5, 12);
    expect(m.bcubed.recall).toBe(1);
    expect(m.bcubed.f1).toBeCloseTo(2 / 3, 12);
    // Pairwise: 6 predicted pairs, 2 true: P = 1/3, R = 1, F = 2*(1/3)/(4/3) = 0.5.
    expect(m.pairwise.precision).toBeCloseTo(1 / 3, 12);
    expect(m.pairwise.recall).toBe(1);
    expect(m.pairwise.f1).toBeCloseTo(0.5, 12);
    // ARI: sum cells C(2,2)+C(2,2) = 2; sum pred = 6; sum gold = 2;
    // expected = 6*2/6 = 2; max = (6+2)/2 = 4; ARI = (2-2)/(4-2) = 0.
    expect(m.ari).toBeCloseTo(0, 12);
    expect(m.predictedClusters).toBe(1);
  });

  it("all singletons", () => {
    const pred = { a: 1, b: 2, c: 3, d: 4 };
    const m = clusteringMetrics(pred, gold);
    // B-cubed: P = 1 per item; R = 1/2 per item; F = 2*1*0.5/1.5 = 2/3.
    expect(m.bcubed.precision).toBe(1);
    expect(m.bcubed.recall).toBeCloseTo(0.5, 12);
    expect(m.bcubed.f1).toBeCloseTo(2 / 3, 12);
    // Pairwise: no predicted pairs, so P = 1 by convention; R = 0/2 = 0; F = 0.
    expect(m.pairwise).toEqual({ precision: 1, recall: 0, f1: 0 });
    // ARI: sum cells 0, sum pred 0, expected 0, max (0+2)/2 = 1: ARI = 0/1 = 0.
    expect(m.ari).toBeCloseTo(0, 12);
    expect(m.predictedClusters).toBe(4);
  });

  it("counts items missing from the prediction as singletons", () => {
    // Same as all singletons: nothing predicted at all.
    const m = clusteringMetrics(new Map<string, number>(), new Map(Object.entries(gold)));
    expect(m.missing).toBe(4);
    expect(m.predictedClusters).toBe(4);
    expect(m.bcubed.recall).toBeCloseTo(0.5, 12);
    expect(m.pairwise.recall).toBe(0);
    // Two missing items must not share a cluster even though neither has a label.
    const half = clusteringMetrics({ a: "x", b: "x" }, gold);
    // a,b right; c,d singletons: B-cubed R = (1+1+0.5+0.5)/4 = 0.75, P = 1.
    expect(half.bcubed.recall).toBeCloseTo(0.75, 12);
    expect(half.bcubed.precision).toBe(1);
    expect(half.missing).toBe(2);
  });

  it("ignores items only in the prediction", () => {
    // z is not labelled: its joining a's cluster must not lower a's precision.
    const m = clusteringMetrics({ a: 1, b: 1, c: 2, d: 2, z: 1 }, gold);
    expect(m.items).toBe(4);
    expect(m.bcubed.precision).toBe(1);
    expect(m.ari).toBe(1);
  });

  it("matches the classic Bagga & Baldwin example", () => {
    // Items 1..12. Gold: {1-5} {6,7} {8-12}. Prediction merges the last two: {1-5} {6-12}.
    const g: Record<string, string> = {};
    const p: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) {
      g[i] = i <= 5 ? "g1" : i <= 7 ? "g2" : "g3";
      p[i] = i <= 5 ? "p1" : "p2";
    }
    // B-cubed precision: items 1-5: 5/5 = 1 each -> 5; items 6,7: 2/7 each -> 4/7;
    // items 8-12: 5/7 each -> 25/7. Sum = 5 + 29/7 = 64/7; / 12 = 16/21 = 0.7619.
    // Recall: every gold cluster is inside one predicted cluster -> 1.
    // F = 2*(16/21)/(16/21 + 1) = 32/37 = 0.8649.
    const b = bcubed(p, g);
    expect(b.precision).toBeCloseTo(16 / 21, 12);
    expect(b.recall).toBe(1);
    expect(b.f1).toBeCloseTo(32 / 37, 12);

    // Pairwise: predicted pairs C(5,2)+C(7,2) = 10+21 = 31; gold pairs 10+1+10 = 21, all
    // inside predicted clusters: P = 21/31, R = 1, F = 2*21/(31+21) = 21/26.
    const pw = pairwise(p, g);
    expect(pw.precision).toBeCloseTo(21 / 31, 12);
    expect(pw.recall).toBe(1);
    expect(pw.f1).toBeCloseTo(21 / 26, 12);

    // ARI: sum over cells C(5,2)+C(2,2)+C(5,2) = 21; sum pred 31; sum gold 21;
    // C(12,2) = 66; expected = 31*21/66 = 651/66; max = (31+21)/2 = 26;
    // ARI = (21 - 651/66)/(26 - 651/66) = (1386-651)/(1716-651) = 735/1065 = 49/71 = 0.6901.
    expect(adjustedRandIndex(p, g)).toBeCloseTo(49 / 71, 12);
  });

  it("matches scikit-learn's documented ARI example", () => {
    // adjusted_rand_score([0,0,1,2], [0,0,1,1]) = 0.57 in the scikit-learn docs.
    // Cells: (0,0)=2, (1,1)=1, (2,1)=1 -> sum C = 1; gold sizes 2,1,1 -> 1; pred sizes 2,2 -> 2;
    // expected = 1*2/6 = 1/3; max = 1.5; ARI = (2/3)/(7/6) = 4/7.
    const g = new Map([[1, 0], [2, 0], [3, 1], [4, 2]]);
    const p = new Map([[1, 0], [2, 0], [3, 1], [4, 1]]);
    expect(adjustedRandIndex(p, g)).toBeCloseTo(4 / 7, 12);
  });

  it("scores identical trivial partitions as 1, not NaN", () => {
    // Both all-in-one: expected index = max index, the 0/0 case.
    expect(adjustedRandIndex({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 })).toBe(1);
    expect(adjustedRandIndex({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe(1);
    expect(adjustedRandIndex({}, {})).toBe(1);
  });
});

describe("ROUGE", () => {
  it("tokenizes like rouge-score with the stemmer", () => {
    // Lowercase, non-alphanumerics split, tokens of 4+ chars stemmed ("shares" -> "share";
    // "fell" is 4 chars and stays), short tokens untouched.
    expect(rougeTokens("U.S. shares FELL 3%!")).toEqual(["u", "s", "share", "fell", "3"]);
    expect(rougeTokens("  --  ")).toEqual([]);
  });

  it("identical texts score 1 and disjoint texts 0", () => {
    const s = "The cat sat on the mat, said officials.";
    expect(rougeScores(s, s)).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rougeScores("alpha beta gamma", "delta epsilon zeta")).toEqual({
      rouge1: 0,
      rouge2: 0,
      rougeL: 0,
    });
    expect(rougeScores("", "anything")).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it("stems before matching: 'running dogs' vs 'the dog runs'", () => {
    // Candidate: running -> run, dogs -> dog: [run, dog].
    // Reference: the, dog (3 chars, not stemmed), runs -> run: [the, dog, run].
    // ROUGE-1: overlap 2; P = 2/2, R = 2/3; F = 2*(2/3)/(5/3) = 0.8.
    // ROUGE-2: {run dog} vs {the dog, dog run}: no overlap -> 0.
    // ROUGE-L: LCS([run,dog],[the,dog,run]) = 1; P = 1/2, R = 1/3; F = (1/3)/(5/6) = 0.4.
    const r = rougeScores("running dogs", "the dog runs");
    expect(r.rouge1).toBeCloseTo(0.8, 12);
    expect(r.rouge2).toBe(0);
    expect(r.rougeL).toBeCloseTo(0.4, 12);
    expect(rougeN("running dogs", "the dog runs", 1)).toEqual({
      precision: 1,
      recall: 2 / 3,
      f1: expect.closeTo(0.8, 12),
    });
  });

  it("a one-word substitution", () => {
    // "the cat sat on the mat" vs "the cat lay on the mat" (no token over 3 chars).
    // Unigrams: 5 of 6 match (the x2, cat, on, mat) -> P = R = F = 5/6.
    // Bigrams: 5 each; shared: the cat, on the, the mat -> 3/5 = 0.6.
    // LCS: the cat on the mat = 5 -> 5/6.
    const r = rougeScores("the cat sat on the mat", "the cat lay on the mat");
    expect(r.rouge1).toBeCloseTo(5 / 6, 12);
    expect(r.rouge2).toBeCloseTo(0.6, 12);
    expect(r.rougeL).toBeCloseTo(5 / 6, 12);
  });

  it("clips repeated n-grams", () => {
    // Candidate the x3, reference {the, cat}: overlap min(3,1) = 1; P = 1/3, R = 1/2;
    // F = 2*(1/6)/(5/6) = 0.4.
    const r = rougeN("the the the", "the cat", 1);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.f1).toBeCloseTo(0.4, 12);
    // LCS = 1: P = 1/3, R = 1/2, same F.
    expect(rougeL("the the the", "the cat").f1).toBeCloseTo(0.4, 12);
  });
});

describe("duplicate metrics", () => {
  // Gold pairs: c1->o1, c2->o2, c3->o3. Scored: those six plus x, y (8 articles).
  const gold = { c1: "o1", c2: "o2", c3: "o3" };
  const scored = ["c1", "o1", "c2", "o2", "c3", "o3", "x", "y"];

  it("counts either direction and flags pointing elsewhere as false", () => {
    const pred = new Map<string, string | null>([
      ["c1", "o1"], // found, right direction
      ["o1", null],
      ["o2", "c2"], // found, reverse direction: still right
      ["c3", "x"], // not its partner: false flag, pair not found
      ["y", "o1"], // y has no partner at all: false flag
    ]);
    const d = duplicateMetrics(pred, gold, scored);
    // Recall: 2 of 3 pairs. False: c3, y -> 2 of 8 = 0.25.
    expect(d.pairs).toBe(3);
    expect(d.found).toBe(2);
    expect(d.rightWay).toBe(1); // c1 -> o1; o2 -> c2 is found the wrong way round
    expect(d.copyRecall).toBeCloseTo(2 / 3, 12);
    expect(d.scored).toBe(8);
    expect(d.falseFlags).toBe(2);
    expect(d.falseDuplicateRate).toBeCloseTo(0.25, 12);
  });

  it("does not credit a pair whose members both point at a third article", () => {
    // c3 -> x and o3 -> x: not a flag between the two, and both flags are false.
    const d = duplicateMetrics({ c3: "x", o3: "x" }, gold, scored);
    expect(d.found).toBe(0);
    expect(d.copyRecall).toBe(0);
    expect(d.falseFlags).toBe(2); // 2/8 = 0.25
    expect(d.falseDuplicateRate).toBeCloseTo(0.25, 12);
  });

  it("perfect flags, with unflagged articles absent from the prediction", () => {
    // Recall 3/3; no false flags over 8 scored articles.
    const d = duplicateMetrics({ c1: "o1", c2: "o2", c3: "o3" }, gold, scored);
    expect(d.copyRecall).toBe(1);
    expect(d.falseDuplicateRate).toBe(0);
    expect(d.scored).toBe(8);
  });
});
