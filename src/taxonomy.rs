//! The event taxonomy of CODEBOOK section 4 (ACLED's event types and
//! sub-event types, verbatim).

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
pub const EXCESSIVE_FORCE: EventType = ev("Protests", "Excessive force against protesters");
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

/// Every event type of the taxonomy.
pub const ALL: &[EventType] = &[
    ARMED_CLASH,
    REGAINS,
    OVERTAKES,
    AIR_DRONE,
    SHELLING,
    IED,
    GRENADE,
    SUICIDE,
    CIV_ATTACK,
    ABDUCTION,
    PEACEFUL_PROTEST,
    PROTEST_INTERVENTION,
    EXCESSIVE_FORCE,
    RIOT,
    MOB,
    AGREEMENT,
    ARRESTS,
    TERRITORY,
    LOOTING,
    DISRUPTED,
    OTHER_SD,
    BASE,
];

impl EventType {
    /// The taxonomy's entry with these names, if there is one.
    pub fn parse(event_type: &str, sub_event_type: &str) -> Option<EventType> {
        ALL.iter()
            .copied()
            .find(|e| e.event_type == event_type && e.sub_event_type == sub_event_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_finds_every_type_and_nothing_else() {
        for e in ALL {
            assert_eq!(EventType::parse(e.event_type, e.sub_event_type), Some(*e));
        }
        assert_eq!(
            EventType::parse("Battles", "Shelling/artillery/missile attack"),
            None
        );
        assert_eq!(EventType::parse("battles", "armed clash"), None);
    }
}
