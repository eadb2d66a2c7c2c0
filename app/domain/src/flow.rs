//! The transitions of the online signing flow (SPEC "Invitation" and "Online agreement") as
//! pure functions: given the current state, may this happen, and what comes next? The data
//! layer calls these inside the transaction that changes the state, after reading the rows
//! again; the pages call the same functions to decide which buttons to show.

use chrono::{DateTime, Utc};

use crate::{
    status::{AgreementStatus, InvitationStatus},
    AppError,
};

/// What rule 4 needs to know about a roster record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing<'a> {
    /// 培养方式: 非定向 / 定向 / 委培
    pub training_mode: &'a str,
    pub roster_approved: bool,
    /// 限制签约 by the school
    pub restricted: bool,
    /// 就业方案 already submitted
    pub plan_submitted: bool,
}

impl Standing<'_> {
    /// SPEC rule 4: only 非定向 graduates with an approved roster record, not restricted by
    /// the school and whose 就业方案 is not yet submitted may sign.
    pub fn may_sign(&self) -> bool {
        self.training_mode == "非定向" && self.roster_approved && !self.restricted && !self.plan_submitted
    }

    /// The student's own view of why they cannot sign (never shown to employers, who get the
    /// same answer as for an unknown student).
    pub fn check(&self) -> Result<(), AppError> {
        if self.training_mode != "非定向" {
            return Err(AppError::invalid(format!("培养方式为{}的毕业生不能网上签约", self.training_mode)));
        }
        if !self.roster_approved {
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
pub fn reject(status: InvitationStatus, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<InvitationStatus, AppError> {
    let status = current(status, deadline, now);
    if status != InvitationStatus::Pending {
        return Err(not_pending(status));
    }
    Ok(InvitationStatus::Rejected)
}

/// 撤回 by the employer: only while the student has not answered and it has not expired.
pub fn withdraw(status: InvitationStatus, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<InvitationStatus, AppError> {
    let status = current(status, deadline, now);
    if status != InvitationStatus::Pending {
        return Err(not_pending(status));
    }
    Ok(InvitationStatus::Withdrawn)
}

/// The buttons the student sees on an invitation.
pub fn actions(status: InvitationStatus, deadline: DateTime<Utc>, now: DateTime<Utc>, has_active_engagement: bool) -> InvitationActions {
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

/// 签约审核: only an agreement 等待签约审核 can be decided; rejecting needs a reason and frees
/// the student (the state leaves the active set).
pub fn review(status: AgreementStatus, decision: &Review) -> Result<AgreementStatus, AppError> {
    if status != AgreementStatus::AwaitingReview {
        return Err(AppError::conflict(format!("该协议当前为{}，不能审核", status.label())));
    }
    match decision {
        Review::Approve => Ok(AgreementStatus::Certified),
        Review::Reject(reason) if reason.trim().is_empty() => Err(AppError::invalid("请填写审核不通过的原因")),
        Review::Reject(reason) if reason.chars().count() > 500 => Err(AppError::invalid("原因不能超过500字")),
        Review::Reject(_) => Ok(AgreementStatus::ReviewRejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        Utc::now()
    }

    #[test]
    fn rule_4_only_non_directed_approved_unrestricted_students_without_a_plan_may_sign() {
        let ok = Standing { training_mode: "非定向", roster_approved: true, restricted: false, plan_submitted: false };
        assert!(ok.may_sign() && ok.check().is_ok());
        for s in [
            Standing { training_mode: "定向", ..ok },
            Standing { training_mode: "委培", ..ok },
            Standing { roster_approved: false, ..ok },
            Standing { restricted: true, ..ok },
            Standing { plan_submitted: true, ..ok },
        ] {
            assert!(!s.may_sign());
            assert!(s.check().is_err());
        }
    }

    #[test]
    fn a_pending_invitation_can_be_accepted_before_its_deadline() {
        let t = now();
        assert_eq!(accept(InvitationStatus::Pending, t + Duration::hours(1), t, false).unwrap(), InvitationStatus::Accepted);
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
        assert_eq!(actions(InvitationStatus::Pending, d, t, true), InvitationActions { can_accept: false, can_reject: true });
        assert_eq!(actions(InvitationStatus::Pending, d, t, false), InvitationActions { can_accept: true, can_reject: true });
    }

    #[test]
    fn answered_or_withdrawn_invitations_allow_nothing_more() {
        let t = now();
        let d = t + Duration::days(1);
        for s in [InvitationStatus::Accepted, InvitationStatus::Rejected, InvitationStatus::Withdrawn, InvitationStatus::Expired] {
            assert!(accept(s, d, t, false).is_err(), "{s:?}");
            assert!(reject(s, d, t).is_err(), "{s:?}");
            assert!(withdraw(s, d, t).is_err(), "{s:?}");
            assert_eq!(actions(s, d, t, false), InvitationActions { can_accept: false, can_reject: false });
        }
        assert_eq!(withdraw(InvitationStatus::Pending, d, t).unwrap(), InvitationStatus::Withdrawn);
        assert_eq!(reject(InvitationStatus::Pending, d, t).unwrap(), InvitationStatus::Rejected);
    }

    #[test]
    fn only_an_agreement_awaiting_review_can_be_certified_or_rejected_and_rejection_needs_a_reason() {
        assert_eq!(review(AgreementStatus::AwaitingReview, &Review::Approve).unwrap(), AgreementStatus::Certified);
        assert_eq!(review(AgreementStatus::AwaitingReview, &Review::Reject("材料不全".into())).unwrap(), AgreementStatus::ReviewRejected);
        assert_eq!(review(AgreementStatus::AwaitingReview, &Review::Reject("  ".into())).unwrap_err().message(), "请填写审核不通过的原因");
        for s in [AgreementStatus::Certified, AgreementStatus::ReviewRejected, AgreementStatus::Terminated, AgreementStatus::Draft] {
            assert!(review(s, &Review::Approve).is_err(), "{s:?}");
        }
        assert!(!AgreementStatus::ReviewRejected.is_active(), "a rejected agreement frees the student");
    }
}
