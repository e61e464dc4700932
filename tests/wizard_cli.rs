//! The wizard's command line without a terminal: exit codes and messages.
use assert_cmd::Command;
use predicates::str::contains;

fn wizard() -> Command {
    let mut cmd = Command::cargo_bin("caracal-wizard").unwrap();
    cmd.env(
        "CARACAL_WIZARD_DATA_DIR",
        tempfile::tempdir().unwrap().keep(),
    );
    cmd
}

#[test]
fn a_bad_answers_file_exits_2_naming_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("bad.yaml");
    std::fs::write(&answers, "cloud: eks\nredis: {port: six}\n").unwrap();
    let out = dir.path().join("out");
    wizard()
        .arg("--answers")
        .arg(&answers)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("`redis.port`"));
    assert!(!out.exists());
    wizard()
        .args(["wizard", "--answers"])
        .arg(&answers)
        .assert()
        .code(2);
}

#[test]
fn without_a_terminal_the_wizard_points_to_new_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let answers = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/eks-production.yaml"
    );
    wizard()
        .args(["--answers", answers, "--out"])
        .arg(&out)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(contains("caracal-wizard new --answers FILE --out DIR"));
    assert!(!out.exists());
}
