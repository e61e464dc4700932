//! Tests of the runbook's view model.
use super::*;

#[test]
fn role_arn_gives_account_and_name() {
    let arn = "arn:aws:iam::111122223333:role/path/caracal";
    assert_eq!(aws_account(arn), "111122223333");
    assert_eq!(aws_role_name(arn), "caracal");
}
