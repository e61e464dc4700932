use super::*;

fn rel(s: &str) -> OverlayPath {
    OverlayPath::try_from(s).unwrap()
}

#[cfg(unix)]
#[test]
fn reads_refuse_links_fifos_linked_directories_and_huge_files() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("o");
    std::fs::create_dir_all(root.join("gitops")).unwrap();
    std::fs::write(tmp.path().join("kubeconfig"), "secret").unwrap();
    symlink(tmp.path().join("kubeconfig"), root.join("values.yaml")).unwrap();
    symlink(tmp.path(), root.join("external-secrets")).unwrap();
    std::process::Command::new("mkfifo")
        .arg(root.join("README.md"))
        .status()
        .unwrap();
    std::fs::write(
        root.join("namespace.yaml"),
        vec![b'a'; MAX_FILE_BYTES as usize + 1],
    )
    .unwrap();
    std::fs::write(root.join("gitops/application.yaml"), "ok").unwrap();
    let o = OverlayDir::new(&root);
    assert!(matches!(
        o.read(&rel("values.yaml")),
        Err(OverlayError::Symlink { .. })
    ));
    assert!(matches!(
        o.read(&rel("external-secrets/external-secret.yaml")),
        Err(OverlayError::Symlink { .. })
    ));
    assert!(matches!(
        o.read(&rel("README.md")),
        Err(OverlayError::NotAFile { .. })
    ));
    assert!(matches!(
        o.read(&rel("namespace.yaml")),
        Err(OverlayError::TooBig { .. })
    ));
    assert_eq!(
        o.read(&rel("gitops/application.yaml")).unwrap(),
        Some(b"ok".to_vec())
    );
    assert_eq!(o.read(&rel("kustomization.yaml")).unwrap(), None);
    assert_eq!(o.read(&rel("certificates/api.yaml")).unwrap(), None);
    assert!(o.files().is_err());
    assert!(o.ensure_plain_tree().is_err());
    assert!(matches!(
        o.read_name("../kubeconfig"),
        Err(OverlayError::Outside { .. })
    ));
}

#[test]
fn files_reads_only_what_the_wizard_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("external-secrets")).unwrap();
    std::fs::create_dir_all(root.join("charts/deep")).unwrap();
    std::fs::write(root.join("values.yaml"), "a: 1\n").unwrap();
    std::fs::write(root.join("external-secrets/x.yaml"), "b\n").unwrap();
    std::fs::write(root.join("secrets.local.yaml"), "s\n").unwrap();
    std::fs::write(root.join("chart.tgz"), [0xff; 10]).unwrap();
    std::fs::write(root.join("charts/deep/x.yaml"), "c\n").unwrap();
    let files = OverlayDir::new(root).files().unwrap();
    let names: Vec<&str> = files.keys().map(OverlayPath::as_str).collect();
    assert_eq!(names, ["external-secrets/x.yaml", "values.yaml"]);
    assert!(OverlayDir::new(root).ensure_plain_tree().is_ok());
}

#[test]
fn a_second_writer_is_refused_and_the_work_dir_goes_with_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let o = OverlayDir::new(tmp.path().join("o"));
    let lock = o.lock().unwrap();
    assert!(matches!(o.lock(), Err(OverlayError::Busy { .. })));
    lock.stage(&rel("gitops/application.yaml"), b"x", false)
        .unwrap();
    lock.replace(&rel("gitops/application.yaml")).unwrap();
    let ignore = std::fs::read_to_string(tmp.path().join("o").join(WORK_DIR).join(".gitignore"));
    assert!(ignore.unwrap().lines().any(|l| l == "*"));
    drop(lock);
    assert!(!tmp.path().join("o").join(WORK_DIR).exists());
    assert_eq!(
        std::fs::read(tmp.path().join("o/gitops/application.yaml")).unwrap(),
        b"x"
    );
    let again = o.lock().unwrap();
    again.remove(&rel("gitops/application.yaml")).unwrap();
    assert!(!tmp.path().join("o/gitops").exists());
}

#[test]
fn a_killed_runs_staged_files_are_cleared_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let stale = tmp.path().join(WORK_DIR).join("stage");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("secrets.local.yaml"), "old").unwrap();
    let lock = OverlayDir::new(tmp.path()).lock().unwrap();
    assert!(!stale.join("secrets.local.yaml").exists());
    drop(lock);
}

#[test]
fn out_below_a_regular_file_is_not_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    let o = OverlayDir::new(tmp.path().join("file/overlay"));
    assert!(matches!(o.lock(), Err(OverlayError::NotADirectory { .. })));
}

#[test]
fn an_io_error_shows_line_breaks_in_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let e = read_dir(&tmp.path().join("a\nb")).unwrap_err().to_string();
    assert!(e.contains("a\\nb") && !e.contains('\n'), "{e}");
}
