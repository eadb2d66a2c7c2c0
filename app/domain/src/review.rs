//! Who decides a request (签约审核, 解约审核) at which level, by the school's 审核方式
//! ([`ReviewMode`]). One table ([`step`]) answers for every kind of request: the services call it
//! inside the write transaction, after reading the row again; the pages call it to decide which
//! buttons to show, and the counters to know which queue is whose.
//!
//! - 学校审核 (one level): a college admin (own college) or the school admin decides;
//!   approving certifies.
//! - 学院初审 + 学校复审 (two levels): the college admin decides first; approving moves the item
//!   to 等待学校审核, where the school admin decides; approving there certifies.
//! - A rejection at either level ends the request with its reason.
//! - The province office watches and never decides.
//!
//! An item left at 等待学校审核 when a school goes back to one level is still the school's.

use crate::{
    role::AdminScope,
    status::{AgreementStatus, ReviewMode, TerminationStatus},
    AppError,
};

/// The level of the admin deciding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    College,
    School,
    Province,
}

impl Level {
    pub fn of(scope: AdminScope) -> Level {
        match scope {
            AdminScope::College(..) => Level::College,
            AdminScope::School(_) => Level::School,
            AdminScope::Province => Level::Province,
        }
    }
}

/// Where a request waits: the first review (等待签约审核 / 等待解约审核) or the school's
/// second one (等待学校审核).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    First,
    School,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::First, Stage::School];

    /// The stage of an agreement's status; `None` when it waits for no review.
    pub fn of_agreement(s: AgreementStatus) -> Option<Stage> {
        match s {
            AgreementStatus::AwaitingReview => Some(Stage::First),
            AgreementStatus::AwaitingSchoolReview => Some(Stage::School),
            _ => None,
        }
    }

    pub fn of_termination(s: TerminationStatus) -> Option<Stage> {
        match s {
            TerminationStatus::AwaitingReview => Some(Stage::First),
            TerminationStatus::AwaitingSchoolReview => Some(Stage::School),
            _ => None,
        }
    }

    pub fn agreement_status(self) -> AgreementStatus {
        match self {
            Stage::First => AgreementStatus::AwaitingReview,
            Stage::School => AgreementStatus::AwaitingSchoolReview,
        }
    }

    pub fn termination_status(self) -> TerminationStatus {
        match self {
            Stage::First => TerminationStatus::AwaitingReview,
            Stage::School => TerminationStatus::AwaitingSchoolReview,
        }
    }
}

/// What an approval does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// 审核通过: the request is decided (certified / the agreement ends).
    Decides,
    /// 学院初审通过: on to 等待学校审核.
    ToSchool,
}

/// The table: may an admin of `level` decide a request at `stage` under `mode`, and what does
/// their approval do? A rejection is allowed exactly where an approval is.
pub fn step(mode: ReviewMode, level: Level, stage: Stage) -> Result<Approval, AppError> {
    use {Level as L, ReviewMode as M, Stage as S};
    match (mode, level, stage) {
        (_, L::Province, _) => Err(AppError::Forbidden),
        (M::OneLevel, L::College | L::School, S::First) => Ok(Approval::Decides),
        (M::TwoLevel, L::College, S::First) => Ok(Approval::ToSchool),
        (M::TwoLevel, L::School, S::First) => Err(AppError::conflict("本校实行学院初审 + 学校复审，请等待学院初审")),
        (_, L::School, S::School) => Ok(Approval::Decides),
        (_, L::College, S::School) => Err(AppError::conflict("学院初审已通过，等待学校审核")),
    }
}

/// The stages whose items an admin of `level` can decide under `mode` (their queue and counter).
/// The province office, which decides nothing, watches every stage.
pub fn stages_for(mode: ReviewMode, level: Level) -> Vec<Stage> {
    if level == Level::Province {
        return Stage::ALL.to_vec();
    }
    Stage::ALL
        .into_iter()
        .filter(|s| step(mode, level, *s).is_ok())
        .collect()
}

/// A rejection's reason: required, at most 500 characters, no control characters.
pub fn rejection_reason(reason: &str) -> Result<(), AppError> {
    if reason.trim().is_empty() {
        return Err(AppError::invalid("请填写审核不通过的原因"));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("原因不能超过500字"));
    }
    crate::text::multi_line(reason, "审核不通过的原因")
}

/// The address of an admin's daily digest (审核设置): optional while it is off, required to
/// switch it on; returned trimmed.
pub fn digest_email(on: bool, email: &str) -> Result<String, AppError> {
    let email = email.trim();
    crate::text::single_line(email, "邮箱")?;
    if email.chars().count() > 100 {
        return Err(AppError::invalid("邮箱不能超过100字"));
    }
    if !email.is_empty() && !crate::roster::looks_like_email(email) {
        return Err(AppError::invalid("邮箱格式不正确"));
    }
    if on && email.is_empty() {
        return Err(AppError::invalid("请填写接收每日审核提醒的邮箱"));
    }
    Ok(email.to_owned())
}

/// The most rows one 批量审核通过 decides (a page of the queue is 20).
pub const BATCH_MAX: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;
    use Approval::*;

    const MODES: [ReviewMode; 2] = [ReviewMode::OneLevel, ReviewMode::TwoLevel];
    const LEVELS: [Level; 3] = [Level::College, Level::School, Level::Province];

    /// The expected answer for every mode × level × stage, written out.
    fn expected(mode: ReviewMode, level: Level, stage: Stage) -> Option<Approval> {
        match (mode, level, stage) {
            (ReviewMode::OneLevel, Level::College, Stage::First) => Some(Decides),
            (ReviewMode::OneLevel, Level::School, Stage::First) => Some(Decides),
            (ReviewMode::OneLevel, Level::School, Stage::School) => Some(Decides),
            (ReviewMode::TwoLevel, Level::College, Stage::First) => Some(ToSchool),
            (ReviewMode::TwoLevel, Level::School, Stage::School) => Some(Decides),
            _ => None,
        }
    }

    #[test]
    fn every_mode_level_and_stage_is_allowed_or_refused_as_the_two_level_rules_say() {
        let mut allowed = 0;
        for mode in MODES {
            for level in LEVELS {
                for stage in Stage::ALL {
                    let got = step(mode, level, stage);
                    assert_eq!(
                        got.clone().ok(),
                        expected(mode, level, stage),
                        "{mode:?} {level:?} {stage:?}"
                    );
                    if let Err(e) = got {
                        // A refusal says why in Chinese; the province is simply not a reviewer.
                        if level == Level::Province {
                            assert_eq!(e, AppError::Forbidden);
                        } else {
                            assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
                        }
                    } else {
                        allowed += 1;
                    }
                }
            }
        }
        assert_eq!(allowed, 5);
    }

    #[test]
    fn under_two_levels_the_college_forwards_and_only_the_school_certifies() {
        let m = ReviewMode::TwoLevel;
        assert_eq!(step(m, Level::College, Stage::First), Ok(ToSchool));
        assert_eq!(
            step(m, Level::School, Stage::First).unwrap_err().message(),
            "本校实行学院初审 + 学校复审，请等待学院初审"
        );
        assert_eq!(
            step(m, Level::College, Stage::School).unwrap_err().message(),
            "学院初审已通过，等待学校审核"
        );
        assert_eq!(step(m, Level::School, Stage::School), Ok(Decides));
    }

    #[test]
    fn under_one_level_college_or_school_certifies_and_a_leftover_second_stage_is_the_schools() {
        let m = ReviewMode::OneLevel;
        assert_eq!(step(m, Level::College, Stage::First), Ok(Decides));
        assert_eq!(step(m, Level::School, Stage::First), Ok(Decides));
        assert_eq!(step(m, Level::School, Stage::School), Ok(Decides));
        assert!(step(m, Level::College, Stage::School).is_err());
    }

    #[test]
    fn the_province_decides_nothing_but_watches_every_stage() {
        for mode in MODES {
            for stage in Stage::ALL {
                assert_eq!(step(mode, Level::Province, stage), Err(AppError::Forbidden));
            }
            assert_eq!(stages_for(mode, Level::Province), Stage::ALL.to_vec());
        }
    }

    #[test]
    fn each_admins_queue_holds_the_stages_they_decide() {
        use ReviewMode::*;
        assert_eq!(stages_for(OneLevel, Level::College), [Stage::First]);
        assert_eq!(stages_for(OneLevel, Level::School), [Stage::First, Stage::School]);
        assert_eq!(stages_for(TwoLevel, Level::College), [Stage::First]);
        assert_eq!(stages_for(TwoLevel, Level::School), [Stage::School]);
    }

    #[test]
    fn only_the_two_waiting_states_are_stages_of_review() {
        for s in AgreementStatus::ALL {
            let stage = Stage::of_agreement(*s);
            assert_eq!(stage.map(Stage::agreement_status), stage.map(|_| *s));
            assert_eq!(
                stage.is_some(),
                matches!(
                    s,
                    AgreementStatus::AwaitingReview | AgreementStatus::AwaitingSchoolReview
                )
            );
        }
        for s in TerminationStatus::ALL {
            let stage = Stage::of_termination(*s);
            assert_eq!(stage.map(Stage::termination_status), stage.map(|_| *s));
            assert_eq!(stage.is_some(), s.is_open() && *s != TerminationStatus::Applying);
        }
    }

    #[test]
    fn the_daily_digest_needs_a_valid_address_to_be_switched_on() {
        assert_eq!(digest_email(true, " ke@jcdx.edu.cn ").unwrap(), "ke@jcdx.edu.cn");
        assert_eq!(digest_email(false, "").unwrap(), "");
        assert_eq!(
            digest_email(true, "").unwrap_err().message(),
            "请填写接收每日审核提醒的邮箱"
        );
        assert_eq!(
            digest_email(false, "13800000000").unwrap_err().message(),
            "邮箱格式不正确"
        );
        assert!(digest_email(true, "a@b.cn\nBcc: x@y.cn").is_err(), "one line only");
    }

    #[test]
    fn a_rejection_needs_a_reason_of_at_most_500_characters() {
        assert!(rejection_reason("材料不全").is_ok());
        assert_eq!(rejection_reason("  ").unwrap_err().message(), "请填写审核不通过的原因");
        assert!(rejection_reason(&"长".repeat(501)).is_err());
    }
}
