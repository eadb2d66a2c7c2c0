//! The states of the flows, stored as short ASCII codes and shown with the manual's words. On
//! the server each is a typed column (feature `db`): a stored code that is not listed here
//! fails the read instead of passing for some default. Which states count as "active" or "open" is decided here, and the
//! database's partial unique indexes use the same codes.

use serde::{Deserialize, Serialize};

macro_rules! states {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "db", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "db", sea_orm(rs_type = "String", db_type = "Text"))]
        pub enum $name { $($(#[$vm])* #[cfg_attr(feature = "db", sea_orm(string_value = $code))] $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stored code.
            pub fn code(self) -> &'static str { match self { $($name::$v => $code),+ } }
            /// The manual's word for it.
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
            pub fn parse(code: &str) -> Option<Self> { Self::ALL.iter().copied().find(|s| s.code() == code) }
        }
    };
}

states! {
    /// 邀约: employer → student.
    InvitationStatus {
        Pending = "pending", "待应约";
        Accepted = "accepted", "已应约";
        Rejected = "rejected", "已拒绝";
        Expired = "expired", "已过期";
        Withdrawn = "withdrawn", "已撤回";
    }
}

states! {
    /// Which way a student is engaged: online agreement, paper agreement, other destination.
    EngagementKind {
        Online = "online", "网上签约";
        Paper = "paper", "线下签约";
        Other = "other", "其他去向";
    }
}

states! {
    /// 签约审核状态 of an engagement.
    AgreementStatus {
        Draft = "draft", "草稿";
        AwaitingReview = "awaiting_review", "等待签约审核";
        /// 学院初审 passed where the school reviews in two levels: the school decides now.
        AwaitingSchoolReview = "awaiting_school", "等待学校审核";
        AwaitingFeedback = "awaiting_feedback", "待反馈";
        Certified = "certified", "签约审核通过";
        ReviewRejected = "review_rejected", "签约审核不通过";
        Terminated = "terminated", "已解约";
    }
}

states! {
    /// 解约 (and, for other destinations, 解除) requests.
    TerminationStatus {
        Applying = "applying", "申请中";
        AwaitingReview = "awaiting_review", "等待解约审核";
        /// 学院初审 passed where the school reviews in two levels: the school decides now.
        AwaitingSchoolReview = "awaiting_school", "等待学校审核";
        Declined = "declined", "已拒绝";
        Approved = "approved", "解约审核通过";
        ReviewRejected = "review_rejected", "解约审核不通过";
    }
}

impl AgreementStatus {
    /// SPEC rule 1: the engagement holds the student from submission/acceptance on, until it is
    /// rejected in review or ended. A draft does not hold them yet.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Self::AwaitingReview | Self::AwaitingSchoolReview | Self::AwaitingFeedback | Self::Certified
        )
    }
}

impl AgreementStatus {
    /// 协议验证's answer for a genuine agreement in this state: only a certified agreement is in
    /// force; the others are real but say why not.
    pub fn verdict(self) -> &'static str {
        match self {
            Self::Certified => "协议真实有效",
            Self::AwaitingReview | Self::AwaitingSchoolReview | Self::AwaitingFeedback | Self::Draft => {
                "协议真实，尚未经学校鉴证，暂未生效"
            }
            Self::ReviewRejected => "协议真实，但签约审核未通过，协议无效",
            Self::Terminated => "协议真实，但已解约，协议已解除",
        }
    }
}

impl TerminationStatus {
    /// At most one open request per agreement.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Applying | Self::AwaitingReview | Self::AwaitingSchoolReview)
    }
}

impl InvitationStatus {
    /// The status a user sees: a pending invitation whose deadline has passed is 已过期 even
    /// before the expiry job has written that down.
    pub fn effective(self, deadline: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> Self {
        if self == Self::Pending && deadline <= now {
            Self::Expired
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn codes_round_trip_and_labels_are_the_manuals_words() {
        for s in AgreementStatus::ALL {
            assert_eq!(AgreementStatus::parse(s.code()), Some(*s));
        }
        assert_eq!(AgreementStatus::AwaitingReview.label(), "等待签约审核");
        assert_eq!(TerminationStatus::AwaitingReview.label(), "等待解约审核");
        assert_eq!(InvitationStatus::Pending.label(), "待应约");
    }

    #[test]
    fn only_submitted_and_certified_engagements_hold_the_student() {
        let active: Vec<_> = AgreementStatus::ALL.iter().filter(|s| s.is_active()).collect();
        assert_eq!(
            active,
            [
                &AgreementStatus::AwaitingReview,
                &AgreementStatus::AwaitingSchoolReview,
                &AgreementStatus::AwaitingFeedback,
                &AgreementStatus::Certified
            ]
        );
    }

    #[test]
    fn a_pending_invitation_past_its_deadline_reads_as_expired() {
        let now = Utc::now();
        assert_eq!(
            InvitationStatus::Pending.effective(now - Duration::seconds(1), now),
            InvitationStatus::Expired
        );
        assert_eq!(
            InvitationStatus::Pending.effective(now + Duration::days(1), now),
            InvitationStatus::Pending
        );
        assert_eq!(
            InvitationStatus::Rejected.effective(now - Duration::days(1), now),
            InvitationStatus::Rejected
        );
    }
}

states! {
    /// 生源信息审核 of a roster record (only approved records may sign).
    RosterStatus {
        Pending = "pending", "待审核";
        Approved = "approved", "已审核";
    }
}

states! {
    /// A school's review of an employer's registration (用人单位审核).
    ApprovalStatus {
        Pending = "pending", "待审核";
        Approved = "approved", "审核通过";
        Rejected = "rejected", "审核不通过";
    }
}

states! {
    /// The two parties of an online agreement (who applied for a 解约).
    Party {
        Student = "student", "毕业生";
        Employer = "employer", "用人单位";
    }
}

impl Party {
    pub fn other(self) -> Self {
        match self {
            Party::Student => Party::Employer,
            Party::Employer => Party::Student,
        }
    }
}

states! {
    /// How a message in the outbox is sent.
    Channel {
        Email = "email", "邮件";
        Sms = "sms", "短信";
    }
}

states! {
    /// A message in the outbox. `Pending` includes a message waiting to be tried again.
    OutboxStatus {
        Pending = "pending", "待发送";
        Sent = "sent", "已发送";
        Logged = "logged", "已写入日志";
        Failed = "failed", "发送失败";
    }
}

states! {
    /// 审核方式 of a school (for agreements and terminations alike): one level, where a college
    /// or the school decides, or 学院初审 followed by 学校复审.
    ReviewMode {
        OneLevel = "one_level", "学校审核";
        TwoLevel = "two_level", "学院初审 + 学校复审";
    }
}
