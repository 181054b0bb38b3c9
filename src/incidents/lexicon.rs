//! Word lists: event triggers (ACLED types), statement verbs, and the cues
//! that mark hypothetical, aggregate and historical passages.
//!
//! Phrases are matched on lowercased text at word boundaries; a trailing `*`
//! matches any word ending ("shell*" = shell, shells, shelled, shelling).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// An ACLED event type and sub-event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventType {
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
}

const fn ev(event_type: &'static str, sub_event_type: &'static str) -> EventType {
    EventType {
        event_type,
        sub_event_type,
    }
}

pub const ARMED_CLASH: EventType = ev("Battles", "Armed clash");
pub const REGAINS: EventType = ev("Battles", "Government regains territory");
pub const OVERTAKES: EventType = ev("Battles", "Non-state actor overtakes territory");
pub const AIR_DRONE: EventType = ev("Explosions/Remote violence", "Air/drone strike");
pub const SHELLING: EventType = ev(
    "Explosions/Remote violence",
    "Shelling/artillery/missile attack",
);
pub const IED: EventType = ev(
    "Explosions/Remote violence",
    "Remote explosive/landmine/IED",
);
pub const GRENADE: EventType = ev("Explosions/Remote violence", "Grenade");
pub const SUICIDE: EventType = ev("Explosions/Remote violence", "Suicide bomb");
pub const CIV_ATTACK: EventType = ev("Violence against civilians", "Attack");
pub const ABDUCTION: EventType = ev(
    "Violence against civilians",
    "Abduction/forced disappearance",
);
pub const PEACEFUL_PROTEST: EventType = ev("Protests", "Peaceful protest");
pub const PROTEST_INTERVENTION: EventType = ev("Protests", "Protest with intervention");
pub const RIOT: EventType = ev("Riots", "Violent demonstration");
pub const MOB: EventType = ev("Riots", "Mob violence");
pub const AGREEMENT: EventType = ev("Strategic developments", "Agreement");
pub const ARRESTS: EventType = ev("Strategic developments", "Arrests");
pub const TERRITORY: EventType = ev(
    "Strategic developments",
    "Non-violent transfer of territory",
);
pub const LOOTING: EventType = ev("Strategic developments", "Looting/property destruction");
pub const DISRUPTED: EventType = ev("Strategic developments", "Disrupted weapons use");
pub const OTHER_SD: EventType = ev("Strategic developments", "Other");
pub const BASE: EventType = ev("Strategic developments", "Headquarters or base established");

/// How much a trigger alone says that an incident happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Needs a date or a place of its own ("violence", "tensions").
    Weak,
    /// An event noun or verb ("clashes", "shelled").
    Strong,
}

/// One trigger phrase.
pub struct Trigger {
    pub phrase: &'static str,
    pub event: EventType,
    pub strength: Strength,
}

const fn t(phrase: &'static str, event: EventType) -> Trigger {
    Trigger {
        phrase,
        event,
        strength: Strength::Strong,
    }
}

const fn w(phrase: &'static str, event: EventType) -> Trigger {
    Trigger {
        phrase,
        event,
        strength: Strength::Weak,
    }
}

/// Event triggers. Order does not matter: the longest match at a position wins.
pub const TRIGGERS: &[Trigger] = &[
    // Battles
    t("clash*", ARMED_CLASH),
    t("skirmish*", ARMED_CLASH),
    t("fighting", ARMED_CLASH),
    t("fought", ARMED_CLASH),
    t("firefight*", ARMED_CLASH),
    t("gunfight*", ARMED_CLASH),
    t("gun battle*", ARMED_CLASH),
    t("exchange of fire", ARMED_CLASH),
    t("exchanges of fire", ARMED_CLASH),
    t("exchanged fire", ARMED_CLASH),
    t("opened fire", ARMED_CLASH),
    t("open fire", ARMED_CLASH),
    t("opening fire", ARMED_CLASH),
    t("fired at", ARMED_CLASH),
    t("fired on", ARMED_CLASH),
    t("fired upon", ARMED_CLASH),
    t("shootout*", ARMED_CLASH),
    t("shoot-out*", ARMED_CLASH),
    t("gunfire", ARMED_CLASH),
    t("sniper fire", ARMED_CLASH),
    t("small arms fire", ARMED_CLASH),
    t("small-arms fire", ARMED_CLASH),
    t("armed incident*", ARMED_CLASH),
    t("border incident*", ARMED_CLASH),
    t("shooting incident*", ARMED_CLASH),
    t("armed confrontation*", ARMED_CLASH),
    t("armed provocation*", ARMED_CLASH),
    t("hostilities", ARMED_CLASH),
    t("battle", ARMED_CLASH),
    t("battles", ARMED_CLASH),
    t("battled", ARMED_CLASH),
    t("ambush*", ARMED_CLASH),
    t("attacked", ARMED_CLASH),
    t("stormed", ARMED_CLASH),
    t("offensive", ARMED_CLASH),
    t("counteroffensive", ARMED_CLASH),
    t("counter-offensive", ARMED_CLASH),
    t("assault", ARMED_CLASH),
    t("sabotage", ARMED_CLASH),
    t("sabotage attempt*", ARMED_CLASH),
    t("repelled", ARMED_CLASH),
    t("repulsed", ARMED_CLASH),
    t("wave of fighting", ARMED_CLASH),
    t("killed in action", ARMED_CLASH),
    t("ceasefire violation*", ARMED_CLASH),
    t("cease-fire violation*", ARMED_CLASH),
    t("violated the ceasefire", ARMED_CLASH),
    t("violated the cease-fire", ARMED_CLASH),
    t("violating the ceasefire", ARMED_CLASH),
    t("violating the cease-fire", ARMED_CLASH),
    t("violating a ceasefire", ARMED_CLASH),
    t("violating a cease-fire", ARMED_CLASH),
    t("violations of the ceasefire", ARMED_CLASH),
    t("violations of the cease-fire", ARMED_CLASH),
    t("violation of the ceasefire", ARMED_CLASH),
    w("violence", ARMED_CLASH),
    w("attack", ARMED_CLASH),
    w("attacks", ARMED_CLASH),
    w("escalation", ARMED_CLASH),
    // Territory
    t("recaptured", REGAINS),
    t("retook", REGAINS),
    t("regained control", REGAINS),
    t("liberated", REGAINS),
    t("seized control", OVERTAKES),
    t("took control", OVERTAKES),
    t("captured", OVERTAKES),
    t("overran", OVERTAKES),
    t("incursion*", TERRITORY),
    t("invasion", TERRITORY),
    t("invaded", TERRITORY),
    t("entered a zone", TERRITORY),
    t("entered the zone", TERRITORY),
    t("entered the territory", TERRITORY),
    t("crossed into", TERRITORY),
    t("crossed the border", TERRITORY),
    t("advanced into", TERRITORY),
    t("moved into", TERRITORY),
    t("took up positions", TERRITORY),
    t("set up positions", TERRITORY),
    // Remote violence
    t("shell*", SHELLING),
    t("artillery", SHELLING),
    t("mortar*", SHELLING),
    t("rocket*", SHELLING),
    t("missile*", SHELLING),
    t("bombard*", SHELLING),
    t("howitzer*", SHELLING),
    t("grad", SHELLING),
    t("drone*", AIR_DRONE),
    t("uav*", AIR_DRONE),
    t("airstrike*", AIR_DRONE),
    t("air strike*", AIR_DRONE),
    t("air raid*", AIR_DRONE),
    t("air attack*", AIR_DRONE),
    t("warplane*", AIR_DRONE),
    t("aviation", AIR_DRONE),
    t("helicopter gunship*", AIR_DRONE),
    t("landmine*", IED),
    t("land mine*", IED),
    t("mine explosion*", IED),
    t("mine blast*", IED),
    t("anti-tank mine*", IED),
    t("anti-personnel mine*", IED),
    t("stepped on a mine", IED),
    t("hit a mine", IED),
    t("roadside bomb*", IED),
    t("ied", IED),
    t("ieds", IED),
    t("improvised explosive*", IED),
    t("explosive device*", IED),
    t("car bomb*", IED),
    t("bomb blast*", IED),
    t("explosion*", IED),
    t("grenade*", GRENADE),
    t("suicide bomb*", SUICIDE),
    t("suicide attack*", SUICIDE),
    // Civilians
    t("abduct*", ABDUCTION),
    t("kidnap*", ABDUCTION),
    t("taken hostage", ABDUCTION),
    t("massacre*", CIV_ATTACK),
    // Protests and riots
    t("protest*", PEACEFUL_PROTEST),
    t("rally", PEACEFUL_PROTEST),
    t("rallied", PEACEFUL_PROTEST),
    t("rallies", PEACEFUL_PROTEST),
    t("demonstration*", PEACEFUL_PROTEST),
    t("demonstrators", PEACEFUL_PROTEST),
    t("took to the streets", PEACEFUL_PROTEST),
    t("tear gas", PROTEST_INTERVENTION),
    t("dispersed", PROTEST_INTERVENTION),
    t("riot", RIOT),
    t("riots", RIOT),
    t("rioters", RIOT),
    t("rioting", RIOT),
    t("lynch*", MOB),
    t("mob", MOB),
    // Strategic developments
    t("ceasefire agreement", AGREEMENT),
    t("cease-fire agreement", AGREEMENT),
    t("truce took effect", AGREEMENT),
    t("ceasefire took effect", AGREEMENT),
    t("ceasefire came into force", AGREEMENT),
    t("agreed to a ceasefire", AGREEMENT),
    t("agreed a ceasefire", AGREEMENT),
    t("signed a ceasefire", AGREEMENT),
    t("arrested", ARRESTS),
    t("detained", ARRESTS),
    t("blockade*", OTHER_SD),
    t("blocked the road", OTHER_SD),
    t("blocked the corridor", OTHER_SD),
    t("closed the road", OTHER_SD),
    t("looted", LOOTING),
    t("looting", LOOTING),
    t("torched", LOOTING),
    t("set fire to", LOOTING),
    t("shot down", DISRUPTED),
    t("intercepted", DISRUPTED),
    t("downed", DISRUPTED),
    t("defused", DISRUPTED),
    // Added from unseen-article evaluation: ministry formulas, euphemisms, weapons.
    t("subjected to fire", ARMED_CLASH),
    t("subjected to intense fire", ARMED_CLASH),
    t("subjected to artillery fire", SHELLING),
    t("subjected to mortar fire", SHELLING),
    t("came under fire", ARMED_CLASH),
    t("come under fire", ARMED_CLASH),
    t("firing", ARMED_CLASH),
    t("exchanging fire", ARMED_CLASH),
    t("anti-terrorist measures", ARMED_CLASH),
    t("anti-terror measures", ARMED_CLASH),
    t("anti-terrorist operation", ARMED_CLASH),
    t("counter-terrorist operation", ARMED_CLASH),
    t("counter-terrorism operation", ARMED_CLASH),
    t("strike", SHELLING),
    t("strikes", SHELLING),
    t("struck", SHELLING),
    t("glide bomb*", AIR_DRONE),
    t("guided bomb*", AIR_DRONE),
    t("unmanned aerial vehicle*", AIR_DRONE),
    t("air defense*", DISRUPTED),
    t("air defence*", DISRUPTED),
    t("air-defense*", DISRUPTED),
    t("air-defence*", DISRUPTED),
    t("mine", IED),
    t("mines", IED),
    t("set up a checkpoint", BASE),
    t("set up checkpoints", BASE),
    t("established a checkpoint", BASE),
    t("installed a checkpoint", BASE),
    t("picket*", PEACEFUL_PROTEST),
    w("gathered", PEACEFUL_PROTEST),
    w("marched", PEACEFUL_PROTEST),
];

/// Words that, shortly before a trigger, make it hypothetical or not an event.
pub const MODAL_CUES: &[&str] = &[
    "threaten*",
    "could",
    "would",
    "might",
    "may",
    "fear*",
    "worr*",
    "risk",
    "if",
    "unless",
    "prevent*",
    "avert*",
    "avoid*",
    "to stop",
    "to end",
    "end to",
    "stop the",
    "to halt",
    "plan*",
    "intend*",
    "ready to",
    "prepare*",
    "preparing",
    "possible",
    "potential",
    "resume",
    "widening",
    "renounce",
    "no",
    "not",
    "without",
    "deny",
    "denied",
    "denies",
    "rejected",
    "false",
    "alleged",
    "allegedly",
    "restraint",
    "calls for",
    "called for",
    "investigate",
    "accountable",
    "responsibility for",
    "aimed at",
    "concerns over",
    "concern over",
    "concerns about",
    "concern about",
    "spread*",
    "fuel*",
];

/// Words that mark a clause as a running total, not an incident of its own.
pub const AGGREGATE_CUES: &[&str] = &[
    "raising the",
    "bringing the",
    "total",
    "in total",
    "so far",
    "since the start",
    "overall",
    "cumulative",
    "toll to",
    "number of",
    "past 48 hours",
    "past 24 hours",
    "past week",
    "past few days",
    "in recent days",
    "since the beginning",
    "killed hundreds",
    "killed thousands",
    "killed dozens",
    "killed tens of thousands",
    "has killed more than",
    "have killed more than",
    "death toll has risen",
    "claimed the lives of more than",
    "tally",
    "toll has",
    "toll stands",
    "toll now",
];

/// Words that mark a passage as history.
pub const HISTORY_CUES: &[&str] = &[
    "soviet",
    "collapse of",
    "1990s",
    "1980s",
    "decades-old",
    "decade-old",
    "two-decade",
    "three-decade",
    "war that",
    "war which",
    "conflict that has",
    "conflict which has",
    "conflict which",
    "conflict that",
    "has left some",
    "that left",
    "which left",
    "in the early",
    "dying years",
    "since then",
    "dates back",
    "goes back",
    "history",
];

/// Statement kinds (CODEBOOK section 6) and their verbs.
pub const STATEMENT_VERBS: &[(&str, &str)] = &[
    ("expressed concern*", "concern"),
    ("expressing concern*", "concern"),
    ("expressing our concern", "concern"),
    ("express our serious concern", "concern"),
    ("expressed serious concern", "concern"),
    ("expressed extreme concern", "concern"),
    ("expressed \"extreme concern", "concern"),
    ("expressed alarm", "concern"),
    ("is concerned", "concern"),
    ("deeply concerned", "concern"),
    ("urged", "appeal"),
    ("urges", "appeal"),
    ("we urge", "appeal"),
    ("called on", "appeal"),
    ("calls on", "appeal"),
    ("appealed", "appeal"),
    ("appeals to", "appeal"),
    ("condemn*", "condemnation"),
    ("denounc*", "condemnation"),
    ("threatened", "threat"),
    ("threatens", "threat"),
    ("warned", "threat"),
    ("called for", "call"),
    ("calls for", "call"),
    ("phone call*", "meeting"),
    ("talked by phone", "meeting"),
    ("spoke by phone", "meeting"),
    ("telephone conversation", "meeting"),
    ("held talks", "meeting"),
    ("discussed", "meeting"),
    ("met with", "meeting"),
];

/// Verbs of reporting: the phrase before one is who makes the claim.
pub const REPORT_VERBS: &[&str] = &[
    "said",
    "says",
    "reported",
    "reports",
    "claimed",
    "claims",
    "stated",
    "states",
    "told",
    "announced",
    "confirmed",
    "added",
    "noted",
    "wrote",
    "alleged",
    "accused",
    "accuses",
    "insisted",
];

/// Nouns for people whose death makes "killed" a battle (military) or an attack on civilians.
pub const MILITARY_VICTIMS: &[&str] = &[
    "soldier",
    "soldiers",
    "servicemen",
    "serviceman",
    "troops",
    "fighters",
    "militants",
    "officers",
    "officer",
    "guards",
    "guard",
    "conscripts",
    "conscript",
    "personnel",
    "military",
    "commander",
    "commanders",
    "marines",
    "rebels",
    "insurgents",
    "militiamen",
    "combatants",
    "jawan",
    "jawans",
    "trooper",
    "troopers",
    "policeman",
    "policemen",
    "gendarme",
    "gendarmes",
    "militant",
    "insurgent",
    "rebel",
    "fighter",
    "sailor",
    "sailors",
    "pilot",
    "pilots",
    "peacekeeper",
    "peacekeepers",
    "contractor",
    "contractors",
    "reservist",
    "reservists",
    "guardsman",
    "guardsmen",
    "recruit",
    "recruits",
];

/// Nouns for civilians.
pub const CIVILIAN_VICTIMS: &[&str] = &[
    "civilian",
    "civilians",
    "villager",
    "villagers",
    "resident",
    "residents",
    "children",
    "child",
    "women",
    "woman",
    "farmer",
    "farmers",
    "shepherd",
    "worker",
    "workers",
    "journalist",
    "journalists",
    "man",
    "men",
    "boy",
    "girl",
    "people",
    "person",
    "family",
    "teacher",
    "doctor",
    "aid worker",
    "aid workers",
    "passers-by",
    "pedestrians",
];

/// Find `phrase` (with optional trailing `*`) in lowercased `text` at word
/// boundaries, starting at byte `from`. Returns the byte range. The
/// reference that phrase sets are tested against.
#[cfg(test)]
fn find_phrase(text: &str, phrase: &str, from: usize) -> Option<(usize, usize)> {
    let (needle, prefix) = match phrase.strip_suffix('*') {
        Some(n) => (n, true),
        None => (phrase, false),
    };
    let mut start = from;
    while let Some(i) = text
        .get(start..)
        .and_then(|s| find_bytes(s.as_bytes(), needle.as_bytes()))
    {
        let a = start + i;
        if let Some(b) = word_match(text, a, a + needle.len(), prefix) {
            return Some((a, b));
        }
        start = a + needle.len().max(1);
        while !text.is_char_boundary(start) {
            start += 1;
        }
    }
    None
}

/// A fixed list of phrases ([`find_phrase`] syntax) searched in one
/// automaton pass instead of one search per phrase. Every method gives
/// exactly what the per-phrase functions give ([`find_phrase`],
/// [`find_all`], [`contains_any`]); the automaton is built on first use.
pub struct PhraseSet {
    phrases: fn() -> Vec<&'static str>,
    built: OnceLock<Built>,
    /// Its index in [`SENTENCE_SETS`], if it is one of them.
    slot: Option<u8>,
}

struct Built {
    ac: AhoCorasick,
    /// Per phrase: whether it ends in `*` (matches any word ending).
    prefix: Vec<bool>,
}

impl PhraseSet {
    /// A set over the phrases `phrases()` returns (called once, on first
    /// use), searched on its own rather than through a sentence's [`Lex`].
    #[cfg(test)]
    const fn new(phrases: fn() -> Vec<&'static str>) -> PhraseSet {
        PhraseSet {
            phrases,
            built: OnceLock::new(),
            slot: None,
        }
    }

    /// A set that is also read from a sentence's [`Lex`]: `slot` is its
    /// index in [`SENTENCE_SETS`].
    const fn sentence_set(slot: u8, phrases: fn() -> Vec<&'static str>) -> PhraseSet {
        PhraseSet {
            phrases,
            built: OnceLock::new(),
            slot: Some(slot),
        }
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            let phrases = (self.phrases)();
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // Small lists searched in every sentence: the fastest kind.
                .kind(Some(AhoCorasickKind::DFA))
                .build(phrases.iter().map(|p| p.strip_suffix('*').unwrap_or(p)))
                .expect("phrase lists build an automaton");
            let prefix = phrases.iter().map(|p| p.ends_with('*')).collect();
            Built { ac, prefix }
        })
    }

    /// Calls `f(phrase index, start, end)` for each occurrence that
    /// [`find_all`] finds for that phrase, until `f` returns false.
    /// Occurrences come in order of their needle's end, not grouped by phrase.
    fn scan(&self, text: &str, mut f: impl FnMut(usize, usize, usize) -> bool) {
        let b = self.built();
        // Per phrase: where the next occurrence may start (find_all's `from`).
        let mut next = vec![0usize; b.prefix.len()];
        for m in b.ac.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            let a = m.start();
            if a < next[p] {
                continue;
            }
            match word_match(text, a, m.end(), b.prefix[p]) {
                Some(end) => {
                    next[p] = end.max(a + 1);
                    if !f(p, a, end) {
                        return;
                    }
                }
                None => next[p] = m.end().max(a + 1),
            }
        }
    }

    /// For each phrase (same index), its first match in `text`: what
    /// [`find_phrase`]`(text, phrase, 0)` returns.
    #[cfg(test)]
    fn first_each(&self, text: &str) -> Vec<Option<(usize, usize)>> {
        let mut out = vec![None; self.built().prefix.len()];
        self.scan(text, |p, a, b| {
            out[p].get_or_insert((a, b));
            true
        });
        out
    }

    /// Whether any phrase occurs in `text` ([`contains_any`]).
    #[cfg(test)]
    fn contains(&self, text: &str) -> bool {
        let mut any = false;
        self.scan(text, |_, _, _| {
            any = true;
            false
        });
        any
    }

    /// Every match of every phrase, as (phrase index, start, end), sorted by
    /// phrase index and then start: [`find_all`] for each phrase in turn.
    #[cfg(test)]
    fn all(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.scan(text, |p, a, b| {
            out.push((p, a, b));
            true
        });
        out.sort_unstable();
        out
    }
}

/// The phrases of [`TRIGGERS`], in one automaton (same indices).
pub static TRIGGER_SET: PhraseSet =
    PhraseSet::sentence_set(0, || TRIGGERS.iter().map(|t| t.phrase).collect());
/// [`MODAL_CUES`] in one automaton.
pub static MODAL_SET: PhraseSet = PhraseSet::sentence_set(1, || MODAL_CUES.to_vec());
/// [`AGGREGATE_CUES`] in one automaton.
pub static AGGREGATE_SET: PhraseSet = PhraseSet::sentence_set(2, || AGGREGATE_CUES.to_vec());
/// [`HISTORY_CUES`] in one automaton.
pub static HISTORY_SET: PhraseSet = PhraseSet::sentence_set(3, || HISTORY_CUES.to_vec());
/// The phrases of [`STATEMENT_VERBS`] (same indices).
pub static STATEMENT_SET: PhraseSet =
    PhraseSet::sentence_set(4, || STATEMENT_VERBS.iter().map(|v| v.0).collect());
/// [`REPORT_VERBS`] in one automaton.
pub static REPORT_SET: PhraseSet = PhraseSet::sentence_set(5, || REPORT_VERBS.to_vec());
/// [`MILITARY_VICTIMS`] in one automaton.
pub static MILITARY_SET: PhraseSet = PhraseSet::sentence_set(6, || MILITARY_VICTIMS.to_vec());
/// [`CIVILIAN_VICTIMS`] in one automaton.
pub static CIVILIAN_SET: PhraseSet = PhraseSet::sentence_set(7, || CIVILIAN_VICTIMS.to_vec());

/// Words that report a death or injury, for deaths without an event word.
pub const TOLL_WORDS: &[&str] = &[
    "killed", "dead", "died", "killing", "deaths", "wounded", "injured",
];
/// [`TOLL_WORDS`] in one automaton.
pub static TOLL_SET: PhraseSet = PhraseSet::sentence_set(8, || TOLL_WORDS.to_vec());

/// Recency cues that keep a running total a report of recent fighting.
pub const RECENT_DAYS: &[&str] = &["in recent days", "past few days"];
/// [`RECENT_DAYS`] in one automaton.
pub static RECENT_DAYS_SET: PhraseSet = PhraseSet::sentence_set(9, || RECENT_DAYS.to_vec());
/// Clash words, for telling riots from battles.
pub static CLASH_SET: PhraseSet = PhraseSet::sentence_set(10, || vec!["clash*"]);
/// Words naming protesters, for telling riots from battles.
pub const PROTEST_WORDS: &[&str] = &["protester*", "demonstrator*", "rioter*", "protest*"];
/// [`PROTEST_WORDS`] in one automaton.
pub static PROTEST_SET: PhraseSet = PhraseSet::sentence_set(11, || PROTEST_WORDS.to_vec());
/// "according to", which introduces a source.
pub static ACCORDING_SET: PhraseSet = PhraseSet::sentence_set(12, || vec!["according to"]);

/// The sets read from a sentence's [`Lex`], each at its `slot`.
pub static SENTENCE_SETS: [&PhraseSet; 13] = [
    &TRIGGER_SET,
    &MODAL_SET,
    &AGGREGATE_SET,
    &HISTORY_SET,
    &STATEMENT_SET,
    &REPORT_SET,
    &MILITARY_SET,
    &CIVILIAN_SET,
    &TOLL_SET,
    &RECENT_DAYS_SET,
    &CLASH_SET,
    &PROTEST_SET,
    &ACCORDING_SET,
];

/// The needles of every [`SENTENCE_SETS`] phrase in one automaton.
struct Combined {
    ac: AhoCorasick,
    /// Per needle: the (set slot, phrase index, ends in `*`) using it.
    uses: Vec<Vec<(u8, u16, bool)>>,
}

fn combined() -> &'static Combined {
    static C: OnceLock<Combined> = OnceLock::new();
    C.get_or_init(|| {
        let mut needles: Vec<&'static str> = Vec::new();
        let mut uses: Vec<Vec<(u8, u16, bool)>> = Vec::new();
        let mut index: std::collections::HashMap<&'static str, usize> =
            std::collections::HashMap::new();
        for (slot, set) in SENTENCE_SETS.iter().enumerate() {
            debug_assert_eq!(set.slot, Some(slot as u8));
            for (p, phrase) in (set.phrases)().into_iter().enumerate() {
                let needle = phrase.strip_suffix('*').unwrap_or(phrase);
                let n = *index.entry(needle).or_insert_with(|| {
                    needles.push(needle);
                    uses.push(Vec::new());
                    needles.len() - 1
                });
                uses[n].push((slot as u8, p as u16, phrase.ends_with('*')));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&needles)
            .expect("phrase lists build an automaton");
        Combined { ac, uses }
    })
}

/// Every occurrence of every [`SENTENCE_SETS`] needle in one lowercased
/// sentence, found in one automaton pass. A set's matches in any part of
/// the sentence are then read from it without searching again: each query
/// gives exactly what the [`PhraseSet`] method gives on that part of the
/// text (positions are in the whole sentence).
pub struct Lex<'a> {
    text: &'a str,
    /// (needle, start, end), in order of end.
    occ: Vec<(u32, u32, u32)>,
}

impl<'a> Lex<'a> {
    /// Scan `text` (lowercased) once.
    pub fn new(text: &'a str) -> Lex<'a> {
        let c = combined();
        let occ =
            c.ac.find_overlapping_iter(text)
                .map(|m| (m.pattern().as_u32(), m.start() as u32, m.end() as u32))
                .collect::<Vec<_>>();
        // `scan` relies on it: an overlapping search reports by end.
        debug_assert!(occ.windows(2).all(|w| w[0].2 <= w[1].2));
        Lex { text, occ }
    }

    /// The text scanned.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// [`PhraseSet`]'s scan of `text[range]`, from the occurrences: calls
    /// `f(phrase, start, end)` (positions in `text`) until it returns false.
    fn scan(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(usize, usize, usize) -> bool,
    ) {
        let Some(slot) = set.slot else {
            // Not a sentence set: search the part itself.
            let base = range.start;
            set.scan(&self.text[range], |p, a, b| f(p, base + a, base + b));
            return;
        };
        let uses = &combined().uses;
        // Per phrase: where its next occurrence may start.
        let mut next: Vec<(u16, usize)> = Vec::new();
        // Occurrences are in order of their ends; those ending by
        // `range.start` start before it (none is empty).
        let first = self.occ.partition_point(|o| o.2 as usize <= range.start);
        for &(n, a, e) in &self.occ[first..] {
            let (a, e) = (a as usize, e as usize);
            if e > range.end {
                break;
            }
            if a < range.start {
                continue;
            }
            for &(s, p, prefix) in &uses[n as usize] {
                if s != slot {
                    continue;
                }
                let k = next.iter().position(|x| x.0 == p);
                if k.is_some_and(|k| a < next[k].1) {
                    continue;
                }
                let (resume, hit) =
                    match word_match_in(&self.text[..range.end], range.start, a, e, prefix) {
                        Some(end) => (end.max(a + 1), Some(end)),
                        None => (e.max(a + 1), None),
                    };
                match k {
                    Some(k) => next[k].1 = resume,
                    None => next.push((p, resume)),
                }
                if let Some(end) = hit {
                    if !f(p as usize, a, end) {
                        return;
                    }
                }
            }
        }
    }

    /// [`PhraseSet::contains`] on `text[range]`.
    pub fn contains(&self, set: &PhraseSet, range: std::ops::Range<usize>) -> bool {
        let mut any = false;
        self.scan(set, range, |_, _, _| {
            any = true;
            false
        });
        any
    }

    /// [`PhraseSet::contains`] on the whole text.
    pub fn has(&self, set: &PhraseSet) -> bool {
        self.contains(set, 0..self.text.len())
    }

    /// [`PhraseSet::first_each`] on `text[range]`, positions in `text`.
    pub fn first_each(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
    ) -> Vec<Option<(usize, usize)>> {
        let mut out = vec![None; set.built().prefix.len()];
        self.scan(set, range, |p, a, b| {
            out[p].get_or_insert((a, b));
            true
        });
        out
    }

    /// [`PhraseSet::all`] on `text[range]`, positions in `text`.
    pub fn all(
        &self,
        set: &PhraseSet,
        range: std::ops::Range<usize>,
    ) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.scan(set, range, |p, a, b| {
            out.push((p, a, b));
            true
        });
        out.sort_unstable();
        out
    }
}

/// Whether the needle found at `a..b` in `text` is a match at word
/// boundaries; its end (extended over the word's ending when `prefix`).
#[inline]
fn word_match(text: &str, a: usize, b: usize, prefix: bool) -> Option<usize> {
    word_match_in(text, 0, a, b, prefix)
}

/// [`word_match`] on `text[lo..]` as if it were the whole text (`lo <= a`).
#[inline]
fn word_match_in(text: &str, lo: usize, a: usize, mut b: usize, prefix: bool) -> Option<usize> {
    let before_ok = a == lo
        || text[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
    if !before_ok {
        return None;
    }
    if prefix {
        while let Some(c) = text[b..].chars().next() {
            if c.is_alphanumeric() {
                b += c.len_utf8();
            } else {
                break;
            }
        }
    }
    let after_ok = text[b..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    after_ok.then_some(b)
}

/// The first occurrence of `needle` in `hay` (what `str::find` returns).
/// Sentences are short and phrases are searched once each, so a memchr scan
/// for the first byte beats building a substring searcher per call
/// (`str::find` and `memmem::find` both build one).
#[cfg(test)]
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, hay.get(at..)?) {
        let a = at + i;
        if hay.get(a + 1..a + needle.len()) == Some(rest) {
            return Some(a);
        }
        at = a + 1;
    }
    None
}

/// Every occurrence of `phrase` in lowercased `text` (the reference
/// [`PhraseSet::all`] is tested against).
#[cfg(test)]
fn find_all(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((a, b)) = find_phrase(text, phrase, from) {
        out.push((a, b));
        from = b.max(a + 1);
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
    }
    out
}

/// Does any of `phrases` occur in lowercased `text`?
#[cfg(test)]
fn contains_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| find_phrase(text, p, 0).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small reproducible generator of test texts.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize % n.max(1)
        }

        /// Up to `max_parts` phrases (their needles, sometimes cut in half)
        /// glued with separators, near misses and non-ASCII letters.
        fn text(&mut self, phrases: &[&str], max_parts: usize) -> String {
            let glue = [" ", "", "-", "s ", "ing ", ", ", "é", "\"", "x"];
            let mut text = String::new();
            for _ in 0..self.below(max_parts) {
                let p = phrases[self.below(phrases.len())];
                let p = p.strip_suffix('*').unwrap_or(p);
                let p = if self.below(4) == 0 {
                    &p[..p.len() / 2]
                } else {
                    p
                };
                text.push_str(p);
                text.push_str(glue[self.below(glue.len())]);
                if !text.is_char_boundary(text.len()) {
                    text.clear();
                }
            }
            text
        }
    }

    #[test]
    fn phrases_match_at_word_boundaries() {
        let cases = [
            ("the shelling of", "shell*", Some((4, 12))),
            ("eggshell", "shell*", None),
            ("clashes broke out", "clash*", Some((0, 7))),
            ("a mine.", "mine", Some((2, 6))),
            ("determined", "mine", None),
            ("two-decade-old", "two-decade", Some((0, 10))),
        ];
        for (text, phrase, want) in cases {
            assert_eq!(find_phrase(text, phrase, 0), want, "{phrase} in {text}");
        }
        assert_eq!(find_all("clash, clashes", "clash*").len(), 2);
        // Every trigger matches a text made of its own phrase (also when
        // two triggers share a phrase).
        for (i, t) in TRIGGERS.iter().enumerate() {
            let needle = t.phrase.strip_suffix('*').unwrap_or(t.phrase);
            assert!(
                TRIGGER_SET.all(needle).iter().any(|m| m.0 == i),
                "{}",
                t.phrase
            );
        }
        for (hay, needle) in [
            ("abcabd", "abd"),
            ("aaa", "aa"),
            ("ab", "abc"),
            ("", ""),
            ("x", ""),
        ] {
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle)
            );
        }
    }

    /// A phrase set finds exactly what searching phrase by phrase finds:
    /// first matches, all matches and "any", on texts built from the lists'
    /// own phrases, their needles, near misses and overlapping repeats.
    #[test]
    fn phrase_sets_agree_with_phrase_by_phrase_search() {
        let lists: [(&PhraseSet, Vec<&str>); 6] = [
            (&TRIGGER_SET, TRIGGERS.iter().map(|t| t.phrase).collect()),
            (&MODAL_SET, MODAL_CUES.to_vec()),
            (&HISTORY_SET, HISTORY_CUES.to_vec()),
            (
                &STATEMENT_SET,
                STATEMENT_VERBS.iter().map(|v| v.0).collect(),
            ),
            (&REPORT_SET, REPORT_VERBS.to_vec()),
            (&TOLL_SET, TOLL_WORDS.to_vec()),
        ];
        let mut rng = Rng(7);
        for (set, phrases) in &lists {
            for _ in 0..300 {
                let text = rng.text(phrases, 8);
                let first: Vec<_> = phrases.iter().map(|p| find_phrase(&text, p, 0)).collect();
                assert_eq!(set.first_each(&text), first, "{text:?}");
                assert_eq!(
                    set.contains(&text),
                    contains_any(&text, phrases),
                    "{text:?}"
                );
                let all: Vec<_> = phrases
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| find_all(&text, p).into_iter().map(move |(a, b)| (i, a, b)))
                    .collect();
                assert_eq!(set.all(&text), all, "{text:?}");
            }
        }
        assert_eq!(
            find_all("aaaa", "aa"),
            SELF_OVERLAPPING
                .all("aaaa")
                .iter()
                .map(|m| (m.1, m.2))
                .collect::<Vec<_>>()
        );
    }

    static SELF_OVERLAPPING: PhraseSet = PhraseSet::new(|| vec!["aa"]);

    /// Reading a set from a sentence's one-pass scan ([`Lex`]) gives what
    /// searching that part of the sentence with the set alone gives, for
    /// every sentence set and parts that start or end inside words.
    #[test]
    fn lex_queries_equal_searching_the_part() {
        let mut rng = Rng(11);
        let mut all_phrases: Vec<&str> = SENTENCE_SETS.iter().flat_map(|s| (s.phrases)()).collect();
        all_phrases.push("aa");
        for _ in 0..400 {
            let text = rng.text(&all_phrases, 10);
            let lex = Lex::new(&text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for _ in 0..6 {
                let a = bounds[rng.below(bounds.len())];
                let b = bounds[rng.below(bounds.len())];
                let r = a.min(b)..a.max(b);
                let part = &text[r.clone()];
                for set in SENTENCE_SETS.iter().copied().chain([&SELF_OVERLAPPING]) {
                    let shift = |v: Vec<Option<(usize, usize)>>| {
                        v.into_iter()
                            .map(|m| m.map(|(x, y)| (x + r.start, y + r.start)))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(
                        lex.first_each(set, r.clone()),
                        shift(set.first_each(part)),
                        "{text:?} {r:?}"
                    );
                    assert_eq!(lex.contains(set, r.clone()), set.contains(part));
                    let all: Vec<_> = set
                        .all(part)
                        .into_iter()
                        .map(|(p, x, y)| (p, x + r.start, y + r.start))
                        .collect();
                    assert_eq!(lex.all(set, r.clone()), all, "{text:?} {r:?}");
                }
            }
            assert_eq!(lex.has(&TRIGGER_SET), TRIGGER_SET.contains(&text));
        }
    }
}
