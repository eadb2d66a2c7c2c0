//! The 14 fields of a 邀请函 (`domain::letter::Letter`) are columns of `invitations`, and are
//! copied into `agreements` when the student accepts. This is the one place that lists them:
//! each of the two tables reads them into a `Letter` and sets them from one.

use domain::letter::Letter;
use sea_orm::ActiveValue::Set;

macro_rules! letter_columns {
    ($($table:ident),+) => {
        letter_columns!(@each [$($table),+] [position, job_category, work_place, salary, contract_term, probation,
            other_terms, archive_unit, archive_address, archive_postcode, archive_contact, archive_phone,
            hukou_address, hukou_unit]);
    };
    (@each [$($table:ident),+] $fields:tt) => { $(letter_columns!(@one $table $fields);)+ };
    (@one $table:ident [$($f:ident),+]) => {
        impl super::$table::Model {
            /// The letter's terms as stored (its `deadline_days` is the sender's choice, not kept).
            pub fn letter(&self) -> Letter {
                Letter { $($f: self.$f.clone(),)+ deadline_days: 0 }
            }
        }

        impl super::$table::ActiveModel {
            /// Sets the letter's columns (the other columns are left as they are).
            pub fn set_letter(&mut self, l: &Letter) {
                $(self.$f = Set(l.$f.clone());)+
            }
        }
    };
}

letter_columns!(invitation, agreement);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::{agreement, invitation};
    use sea_orm::ActiveValue;

    fn letter() -> Letter {
        let mut l = Letter::default();
        // Each field a different value, so a field read from or written to the wrong column shows.
        l.position = "position".into();
        l.job_category = "job_category".into();
        l.work_place = "work_place".into();
        l.salary = "salary".into();
        l.contract_term = "contract_term".into();
        l.probation = "probation".into();
        l.other_terms = "other_terms".into();
        l.archive_unit = "archive_unit".into();
        l.archive_address = "archive_address".into();
        l.archive_postcode = "archive_postcode".into();
        l.archive_contact = "archive_contact".into();
        l.archive_phone = "archive_phone".into();
        l.hukou_address = "hukou_address".into();
        l.hukou_unit = "hukou_unit".into();
        l
    }

    #[test]
    fn a_letter_survives_the_invitation_and_the_agreement_whole() {
        let l = letter();
        let mut inv = invitation::ActiveModel::default();
        inv.set_letter(&l);
        let mut a = agreement::ActiveModel::default();
        a.set_letter(&l);
        let ActiveValue::Set(position) = inv.position.clone() else {
            panic!("position not set")
        };
        assert_eq!(position, "position");
        let ActiveValue::Set(unit) = a.hukou_unit.clone() else {
            panic!("hukou_unit not set")
        };
        assert_eq!(unit, "hukou_unit");
        // Every field of `Letter` (but the deadline) has its column: a field added to the letter
        // and forgotten here would fail to compile in `letter_columns!`'s `Letter { .. }`.
        assert_eq!(inv.archive_phone, ActiveValue::Set("archive_phone".to_owned()));
        assert_eq!(a.salary, ActiveValue::Set("salary".to_owned()));
    }
}
