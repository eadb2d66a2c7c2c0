//! The transitions of the online signing flow (SPEC "Invitation" and "Online agreement") as
//! pure functions: given the current state, may this happen, and what comes next? The data
//! layer calls these inside the transaction that changes the state, after reading the rows
//! again; the pages call the same functions to decide which buttons to show.

use chrono::{DateTime, Utc};

pub use crate::status::Party;
use crate::{
    review::{self, Approval, Level, Stage},
    status::{AgreementStatus, InvitationStatus, ReviewMode, RosterStatus, TerminationStatus},
    AppError,
};

/// The one 培养方式 whose graduates may sign online (SPEC rule 4; 定向 and 委培 may not).
pub const SIGNING_TRAINING_MODE: &str = "非定向";

/// What rule 4 needs to know about a roster record. The data layer's SQL filter for the same
/// rule (`data::service::eligibility`) is built from the same constants and tested against
/// [`Standing::may_sign`] over every combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing<'a> {
    /// 培养方式: 非定向 / 定向 / 委培
    pub training_mode: &'a str,
    pub roster: RosterStatus,
    /// 限制签约 by the school
    pub restricted: bool,
    /// 就业方案 already submitted
    pub plan_submitted: bool,
}

impl Standing<'_> {
    /// SPEC rule 4: only 非定向 graduates with an approved roster record, not restricted by
    /// the school and whose 就业方案 is not yet submitted may sign.
    pub fn may_sign(&self) -> bool {
        self.check().is_ok()
    }

    /// The student's own view of why they cannot sign (never shown to employers, who get the
    /// same answer as for an unknown student).
    pub fn check(&self) -> Result<(), AppError> {
        if self.training_mode != SIGNING_TRAINING_MODE {
            return Err(AppError::invalid(format!(
                "培养方式为{}的毕业生不能网上签约",
                self.training_mode
            )));
        }
        if self.roster != RosterStatus::Approved {
            return Err(AppError::invalid("你的生源信息尚未审核通过，暂不能签约"));
        }
        if self.restricted {
            return Err(AppError::invalid("学校已限制你签约，请联系学校就业部门"));
        }
        if self.plan_submitted {
            return Err(AppError::invalid("你的就业方案已上报，不能再签约"));
        }
        Ok(())
    }

    /// Manual FAQ 1 (学生无法登录网签平台): a 定向 or 委培 graduate, or one whose 就业方案 is
    /// already submitted, may not log in at all — by password, 首次登录 or 忘记密码. Everyone
    /// else may, also while the roster record awaits 审核 or the school restricts them
    /// (限制签约): they log in and [`check`](Self::check) tells them why they cannot sign.
    pub fn check_login(&self) -> Result<(), AppError> {
        if self.training_mode != SIGNING_TRAINING_MODE {
            return Err(AppError::conflict(format!(
                "你的培养方式为{}，不能使用网签系统",
                self.training_mode
            )));
        }
        if self.plan_submitted {
            return Err(AppError::conflict("你的就业方案已提交，不能使用网签系统"));
        }
        Ok(())
    }
}

/// What the student may do with one invitation right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationActions {
    pub can_accept: bool,
    pub can_reject: bool,
}

/// The status the invitation really has at `now` (a pending one past its deadline is expired).
fn current(status: InvitationStatus, deadline: DateTime<Utc>, now: DateTime<Utc>) -> InvitationStatus {
    status.effective(deadline, now)
}

fn not_pending(status: InvitationStatus) -> AppError {
    match status {
        InvitationStatus::Expired => AppError::conflict("该邀约已过期"),
        other => AppError::conflict(format!("该邀约{}，不能再操作", other.label())),
    }
}

/// 同意 (then 现在签约): only a pending, unexpired invitation, and only while the student has
/// no active engagement (SPEC rule 2: then every invitation is view-only).
pub fn accept(
    status: InvitationStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
    has_active_engagement: bool,
) -> Result<InvitationStatus, AppError> {
    let status = current(status, deadline, now);
    if status != InvitationStatus::Pending {
        return Err(not_pending(status));
    }
    if has_active_engagement {
        return Err(AppError::conflict("你已有有效的签约，其他邀约只能查看，不能同意"));
    }
    Ok(InvitationStatus::Accepted)
}

/// 拒绝: any pending, unexpired invitation (also while engaged: declining is always allowed).
pub fn reject(
    status: InvitationStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<InvitationStatus, AppError> {
    let status = current(status, deadline, now);
    if status != InvitationStatus::Pending {
        return Err(not_pending(status));
    }
    Ok(InvitationStatus::Rejected)
}

/// 撤回 by the employer: only while the student has not answered and it has not expired.
pub fn withdraw(
    status: InvitationStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<InvitationStatus, AppError> {
    let status = current(status, deadline, now);
    if status != InvitationStatus::Pending {
        return Err(not_pending(status));
    }
    Ok(InvitationStatus::Withdrawn)
}

/// The buttons the student sees on an invitation.
pub fn actions(
    status: InvitationStatus,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
    has_active_engagement: bool,
) -> InvitationActions {
    InvitationActions {
        can_accept: accept(status, deadline, now, has_active_engagement).is_ok(),
        can_reject: reject(status, deadline, now).is_ok(),
    }
}

/// The school's decision on an agreement waiting for 签约审核.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// 签约审核通过
    Approve,
    /// 签约审核不通过, with the reason the student and employer will read.
    Reject(String),
}

/// 签约审核 by an admin of `level` under the school's 审核方式 (the table in
/// [`crate::review::step`]): only an agreement waiting for review can be decided; approving
/// certifies it or, at a two-level school's 学院初审, moves it to 等待学校审核; rejecting needs a
/// reason and frees the student (the state leaves the active set).
pub fn review(
    mode: ReviewMode,
    level: Level,
    status: AgreementStatus,
    decision: &Review,
) -> Result<AgreementStatus, AppError> {
    let stage = Stage::of_agreement(status)
        .ok_or_else(|| AppError::conflict(format!("该协议当前为{}，不能审核", status.label())))?;
    let approval = review::step(mode, level, stage)?;
    match decision {
        Review::Approve => Ok(match approval {
            Approval::Decides => AgreementStatus::Certified,
            Approval::ToSchool => AgreementStatus::AwaitingSchoolReview,
        }),
        Review::Reject(reason) => review::rejection_reason(reason).map(|()| AgreementStatus::ReviewRejected),
    }
}

/// 解约须知: what the party applying for, or agreeing to, a termination accepts.
pub const TERMINATION_TERMS: &str = "1. 解约须经甲乙双方协商一致，并经学校（丙方）审核鉴证后方可生效；\n\
2. 解约申请提交后，须等待对方处理，对方同意后提交学校审核；对方拒绝的，协议继续有效；\n\
3. 解约审核通过前，原协议继续有效；审核通过后原协议解除，毕业生可重新签约；\n\
4. 因解约产生的违约责任，由双方按协议约定或协商解决；\n\
5. 请如实填写解约原因，虚假申请产生的后果由申请人承担。";

fn reason_checked(reason: &str, what: &str) -> Result<(), AppError> {
    if reason.trim().is_empty() {
        return Err(AppError::invalid(format!("请填写{what}")));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid(format!("{what}不能超过500字")));
    }
    crate::text::multi_line(reason, what)
}

fn terms_accepted(accepted: bool) -> Result<(), AppError> {
    if accepted {
        Ok(())
    } else {
        Err(AppError::invalid("请先阅读并同意解约须知"))
    }
}

/// 解约申请 / 申请解约: only a certified agreement, only without an open request; the applicant
/// accepts the 解约须知 and gives a reason. The request then waits for the other party.
pub fn apply_termination(
    agreement: AgreementStatus,
    has_open_request: bool,
    terms: bool,
    reason: &str,
) -> Result<TerminationStatus, AppError> {
    if agreement != AgreementStatus::Certified {
        return Err(AppError::conflict(format!(
            "协议当前为{}，只有签约审核通过的协议才能申请解约",
            agreement.label()
        )));
    }
    if has_open_request {
        return Err(AppError::conflict("该协议已有正在办理的解约申请"));
    }
    terms_accepted(terms)?;
    reason_checked(reason, "解约原因")?;
    Ok(TerminationStatus::Applying)
}

/// The other party's answer: 同意 (confirming the 解约须知 → 同意解约) sends it to the school;
/// 拒绝 (with a reason) ends the request and the agreement stands. The applicant cannot answer
/// their own request.
pub fn respond_termination(
    status: TerminationStatus,
    initiator: Party,
    responder: Party,
    agree: bool,
    terms: bool,
    reason: &str,
) -> Result<TerminationStatus, AppError> {
    if responder == initiator {
        return Err(AppError::Forbidden);
    }
    if status != TerminationStatus::Applying {
        return Err(AppError::conflict(format!(
            "该解约申请当前为{}，不能再处理",
            status.label()
        )));
    }
    if agree {
        terms_accepted(terms)?;
        Ok(TerminationStatus::AwaitingReview)
    } else {
        reason_checked(reason, "拒绝原因")?;
        Ok(TerminationStatus::Declined)
    }
}

/// 解约审核 by an admin of `level` under the school's 审核方式 ([`crate::review::step`]):
/// 解约审核通过 ends the agreement (the student may sign again), or at a two-level school's
/// 学院初审 moves the request to 等待学校审核; 解约审核不通过 needs a reason and the agreement stands.
pub fn review_termination(
    mode: ReviewMode,
    level: Level,
    status: TerminationStatus,
    decision: &Review,
) -> Result<(TerminationStatus, AgreementStatus), AppError> {
    let stage = Stage::of_termination(status)
        .ok_or_else(|| AppError::conflict(format!("该解约申请当前为{}，不能审核", status.label())))?;
    let approval = review::step(mode, level, stage)?;
    match decision {
        Review::Approve => Ok(match approval {
            Approval::Decides => (TerminationStatus::Approved, AgreementStatus::Terminated),
            Approval::ToSchool => (TerminationStatus::AwaitingSchoolReview, AgreementStatus::Certified),
        }),
        Review::Reject(reason) => {
            reason_checked(reason, "审核不通过的原因")?;
            Ok((TerminationStatus::ReviewRejected, AgreementStatus::Certified))
        }
    }
}

/// 撤回审核 (FAQ 6): a school takes back a certification to correct a wrong agreement; it
/// returns to 等待签约审核. Not while a termination is being handled.
pub fn revoke_certification(
    status: AgreementStatus,
    has_open_request: bool,
    reason: &str,
) -> Result<AgreementStatus, AppError> {
    if status != AgreementStatus::Certified {
        return Err(AppError::conflict(format!(
            "协议当前为{}，只有签约审核通过的协议才能撤回审核",
            status.label()
        )));
    }
    if has_open_request {
        return Err(AppError::conflict("该协议有正在办理的解约申请，不能撤回审核"));
    }
    reason_checked(reason, "撤回原因")?;
    Ok(AgreementStatus::AwaitingReview)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        Utc::now()
    }

    #[test]
    fn faq_1_directed_sponsored_or_plan_submitted_students_may_not_log_in_but_restricted_ones_may() {
        let ok = Standing {
            training_mode: "非定向",
            roster: RosterStatus::Approved,
            restricted: false,
            plan_submitted: false,
        };
        assert_eq!(ok.check_login(), Ok(()));
        let refused = |s: Standing| s.check_login().unwrap_err().message();
        assert_eq!(
            refused(Standing {
                training_mode: "定向",
                ..ok
            }),
            "你的培养方式为定向，不能使用网签系统"
        );
        assert_eq!(
            refused(Standing {
                training_mode: "委培",
                ..ok
            }),
            "你的培养方式为委培，不能使用网签系统"
        );
        assert_eq!(
            refused(Standing {
                plan_submitted: true,
                ..ok
            }),
            "你的就业方案已提交，不能使用网签系统"
        );
        // Restricted or not yet approved: logs in, and sees why signing is closed.
        for s in [
            Standing { restricted: true, ..ok },
            Standing {
                roster: RosterStatus::Pending,
                ..ok
            },
        ] {
            assert_eq!(s.check_login(), Ok(()));
            assert!(s.check().is_err());
        }
    }

    #[test]
    fn rule_4_only_non_directed_approved_unrestricted_students_without_a_plan_may_sign() {
        let ok = Standing {
            training_mode: "非定向",
            roster: RosterStatus::Approved,
            restricted: false,
            plan_submitted: false,
        };
        assert!(ok.may_sign() && ok.check().is_ok());
        for s in [
            Standing {
                training_mode: "定向",
                ..ok
            },
            Standing {
                training_mode: "委培",
                ..ok
            },
            Standing {
                roster: RosterStatus::Pending,
                ..ok
            },
            Standing { restricted: true, ..ok },
            Standing {
                plan_submitted: true,
                ..ok
            },
        ] {
            assert!(!s.may_sign());
            assert!(s.check().is_err());
        }
    }

    #[test]
    fn a_pending_invitation_can_be_accepted_before_its_deadline() {
        let t = now();
        assert_eq!(
            accept(InvitationStatus::Pending, t + Duration::hours(1), t, false).unwrap(),
            InvitationStatus::Accepted
        );
    }

    #[test]
    fn an_expired_invitation_cannot_be_accepted_even_if_no_job_marked_it() {
        let t = now();
        let e = accept(InvitationStatus::Pending, t - Duration::seconds(1), t, false).unwrap_err();
        assert_eq!(e.message(), "该邀约已过期");
        assert!(reject(InvitationStatus::Pending, t - Duration::seconds(1), t).is_err());
        assert!(withdraw(InvitationStatus::Pending, t - Duration::seconds(1), t).is_err());
    }

    #[test]
    fn with_an_active_engagement_invitations_are_view_only_but_can_be_declined() {
        let t = now();
        let d = t + Duration::days(1);
        assert!(accept(InvitationStatus::Pending, d, t, true).is_err());
        assert_eq!(
            actions(InvitationStatus::Pending, d, t, true),
            InvitationActions {
                can_accept: false,
                can_reject: true
            }
        );
        assert_eq!(
            actions(InvitationStatus::Pending, d, t, false),
            InvitationActions {
                can_accept: true,
                can_reject: true
            }
        );
    }

    #[test]
    fn answered_or_withdrawn_invitations_allow_nothing_more() {
        let t = now();
        let d = t + Duration::days(1);
        for s in [
            InvitationStatus::Accepted,
            InvitationStatus::Rejected,
            InvitationStatus::Withdrawn,
            InvitationStatus::Expired,
        ] {
            assert!(accept(s, d, t, false).is_err(), "{s:?}");
            assert!(reject(s, d, t).is_err(), "{s:?}");
            assert!(withdraw(s, d, t).is_err(), "{s:?}");
            assert_eq!(
                actions(s, d, t, false),
                InvitationActions {
                    can_accept: false,
                    can_reject: false
                }
            );
        }
        assert_eq!(
            withdraw(InvitationStatus::Pending, d, t).unwrap(),
            InvitationStatus::Withdrawn
        );
        assert_eq!(
            reject(InvitationStatus::Pending, d, t).unwrap(),
            InvitationStatus::Rejected
        );
    }

    #[test]
    fn only_an_agreement_awaiting_review_can_be_certified_or_rejected_and_rejection_needs_a_reason() {
        let one = |s, d: &Review| review(ReviewMode::OneLevel, Level::College, s, d);
        assert_eq!(
            one(AgreementStatus::AwaitingReview, &Review::Approve).unwrap(),
            AgreementStatus::Certified
        );
        assert_eq!(
            one(AgreementStatus::AwaitingReview, &Review::Reject("材料不全".into())).unwrap(),
            AgreementStatus::ReviewRejected
        );
        assert_eq!(
            one(AgreementStatus::AwaitingReview, &Review::Reject("  ".into()))
                .unwrap_err()
                .message(),
            "请填写审核不通过的原因"
        );
        for s in [
            AgreementStatus::Certified,
            AgreementStatus::ReviewRejected,
            AgreementStatus::Terminated,
            AgreementStatus::Draft,
        ] {
            for level in [Level::College, Level::School] {
                assert!(
                    review(ReviewMode::OneLevel, level, s, &Review::Approve).is_err(),
                    "{s:?}"
                );
                assert!(
                    review(ReviewMode::TwoLevel, level, s, &Review::Approve).is_err(),
                    "{s:?}"
                );
            }
        }
        assert!(
            !AgreementStatus::ReviewRejected.is_active(),
            "a rejected agreement frees the student"
        );
    }

    #[test]
    fn only_a_certified_agreement_without_an_open_request_can_be_terminated_with_terms_and_reason() {
        assert_eq!(
            apply_termination(AgreementStatus::Certified, false, true, "个人原因").unwrap(),
            TerminationStatus::Applying
        );
        assert!(apply_termination(AgreementStatus::AwaitingReview, false, true, "个人原因").is_err());
        assert!(apply_termination(AgreementStatus::Terminated, false, true, "个人原因").is_err());
        assert_eq!(
            apply_termination(AgreementStatus::Certified, true, true, "x")
                .unwrap_err()
                .message(),
            "该协议已有正在办理的解约申请"
        );
        assert_eq!(
            apply_termination(AgreementStatus::Certified, false, false, "x")
                .unwrap_err()
                .message(),
            "请先阅读并同意解约须知"
        );
        assert_eq!(
            apply_termination(AgreementStatus::Certified, false, true, " ")
                .unwrap_err()
                .message(),
            "请填写解约原因"
        );
    }

    #[test]
    fn only_the_other_party_answers_a_request_and_declining_needs_a_reason() {
        use Party::*;
        let t = TerminationStatus::Applying;
        assert_eq!(
            respond_termination(t, Student, Employer, true, true, "").unwrap(),
            TerminationStatus::AwaitingReview
        );
        assert_eq!(
            respond_termination(t, Employer, Student, false, false, "不同意").unwrap(),
            TerminationStatus::Declined
        );
        assert!(matches!(
            respond_termination(t, Student, Student, true, true, ""),
            Err(AppError::Forbidden)
        ));
        assert!(
            respond_termination(t, Student, Employer, true, false, "").is_err(),
            "同意解约 confirms the 解约须知"
        );
        assert!(respond_termination(t, Student, Employer, false, true, "").is_err());
        for s in [
            TerminationStatus::AwaitingReview,
            TerminationStatus::Declined,
            TerminationStatus::Approved,
            TerminationStatus::ReviewRejected,
        ] {
            assert!(
                respond_termination(s, Student, Employer, true, true, "").is_err(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn approving_a_termination_ends_the_agreement_and_rejecting_keeps_it() {
        let t = TerminationStatus::AwaitingReview;
        let one = |s, d: &Review| review_termination(ReviewMode::OneLevel, Level::School, s, d);
        assert_eq!(
            one(t, &Review::Approve).unwrap(),
            (TerminationStatus::Approved, AgreementStatus::Terminated)
        );
        assert_eq!(
            one(t, &Review::Reject("材料不全".into())).unwrap(),
            (TerminationStatus::ReviewRejected, AgreementStatus::Certified)
        );
        assert!(one(t, &Review::Reject("".into())).is_err());
        assert!(one(TerminationStatus::Applying, &Review::Approve).is_err());
        assert!(!AgreementStatus::Terminated.is_active(), "the student may sign again");
    }

    #[test]
    fn at_a_two_level_school_the_colleges_approval_waits_for_the_school_and_either_level_may_reject() {
        use {Level::*, ReviewMode::TwoLevel};
        let a = AgreementStatus::AwaitingReview;
        assert_eq!(
            review(TwoLevel, College, a, &Review::Approve).unwrap(),
            AgreementStatus::AwaitingSchoolReview
        );
        assert!(
            AgreementStatus::AwaitingSchoolReview.is_active(),
            "still holds the student"
        );
        assert!(review(TwoLevel, School, a, &Review::Approve).is_err(), "学院初审 first");
        let b = AgreementStatus::AwaitingSchoolReview;
        assert!(review(TwoLevel, College, b, &Review::Approve).is_err());
        assert_eq!(
            review(TwoLevel, School, b, &Review::Approve).unwrap(),
            AgreementStatus::Certified
        );
        assert_eq!(
            review(TwoLevel, School, b, &Review::Reject("单位信息有误".into())).unwrap(),
            AgreementStatus::ReviewRejected
        );
        assert_eq!(
            review(TwoLevel, College, a, &Review::Reject("材料不全".into())).unwrap(),
            AgreementStatus::ReviewRejected
        );
        let t = TerminationStatus::AwaitingReview;
        assert_eq!(
            review_termination(TwoLevel, College, t, &Review::Approve).unwrap(),
            (TerminationStatus::AwaitingSchoolReview, AgreementStatus::Certified)
        );
        assert!(TerminationStatus::AwaitingSchoolReview.is_open());
        assert_eq!(
            review_termination(
                TwoLevel,
                School,
                TerminationStatus::AwaitingSchoolReview,
                &Review::Approve
            )
            .unwrap(),
            (TerminationStatus::Approved, AgreementStatus::Terminated)
        );
        assert!(review_termination(
            TwoLevel,
            Province,
            TerminationStatus::AwaitingSchoolReview,
            &Review::Approve
        )
        .is_err());
    }

    #[test]
    fn revoking_a_certification_returns_it_to_review_with_a_reason() {
        assert_eq!(
            revoke_certification(AgreementStatus::Certified, false, "信息有误").unwrap(),
            AgreementStatus::AwaitingReview
        );
        assert!(revoke_certification(AgreementStatus::Certified, false, "").is_err());
        assert!(revoke_certification(AgreementStatus::Certified, true, "x").is_err());
        assert!(revoke_certification(AgreementStatus::AwaitingReview, false, "x").is_err());
    }
}
