//! The chart an overlay is checked against: its metadata, its default values, and the
//! overlay's values keys it doesn't define.
use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use super::tools::helm_show;
use super::VerifyError;
use crate::check::doc::scalar_string;
use crate::manifest;

/// The chart an overlay was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartInfo {
    /// The `--chart` argument.
    pub path: String,
    /// `name` from Chart.yaml.
    pub name: String,
    /// `version` from Chart.yaml.
    pub version: String,
    /// `appVersion` from Chart.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
}

/// A chart's metadata and default values.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart.yaml.
    pub info: ChartInfo,
    /// values.yaml, when the chart has one.
    pub values: Option<Value>,
}

/// A [`VerifyError::Chart`] about the chart at `path`.
fn chart_error(path: &Path, reason: String) -> VerifyError {
    VerifyError::Chart {
        path: path.display().to_string(),
        reason,
    }
}

fn chart_info(path: &Path, chart_yaml: &str) -> Result<ChartInfo, VerifyError> {
    let err = |reason: String| chart_error(path, reason);
    let v = manifest::parse_yaml(chart_yaml)
        .map_err(|e| err(format!("Chart.yaml is not valid YAML: {e}")))?;
    let field = |k: &str| v.get(k).and_then(scalar_string);
    Ok(ChartInfo {
        path: path.display().to_string(),
        name: field("name")
            .ok_or_else(|| err("Chart.yaml has no `name`; give a Helm chart".into()))?,
        version: field("version")
            .ok_or_else(|| err("Chart.yaml has no `version`; give a Helm chart".into()))?,
        app_version: field("appVersion"),
    })
}

/// Reads a chart directory, or a packaged `.tgz` through `helm show` (`None` without helm).
pub fn load_chart(path: &Path, helm: Option<&Path>) -> Result<Option<Chart>, VerifyError> {
    if path.is_dir() {
        return load_chart_dir(path).map(Some);
    }
    if !path.is_file() {
        return Err(chart_error(
            path,
            "no such chart directory or .tgz file".into(),
        ));
    }
    let Some(helm) = helm else { return Ok(None) };
    load_packaged_chart(path, helm).map(Some)
}

/// A chart directory: Chart.yaml, and values.yaml when there is one.
fn load_chart_dir(path: &Path) -> Result<Chart, VerifyError> {
    // Through `read_regular`: a FIFO or a huge file in a cloned chart can't hang `check`.
    let read = |name: &str| -> Result<Option<String>, String> {
        let bytes =
            crate::overlay_dir::read_regular(&path.join(name)).map_err(|e| e.to_string())?;
        bytes
            .map(|b| String::from_utf8(b).map_err(|_| format!("{name} is not UTF-8 text")))
            .transpose()
    };
    let chart_yaml = read("Chart.yaml")
        .and_then(|t| t.ok_or_else(|| "no Chart.yaml".to_string()))
        .map_err(|e| {
            chart_error(
                path,
                format!(
                    "not a chart directory ({e}); give the directory holding Chart.yaml, or a .tgz"
                ),
            )
        })?;
    let info = chart_info(path, &chart_yaml)?;
    let values = match read("values.yaml").map_err(|e| chart_error(path, e))? {
        Some(t) => Some(
            manifest::parse_yaml(&t)
                .map_err(|e| chart_error(path, format!("values.yaml is not valid YAML: {e}")))?,
        ),
        None => None,
    };
    Ok(Chart { info, values })
}

/// A packaged chart, read through `helm show chart` and `helm show values`.
fn load_packaged_chart(path: &Path, helm: &Path) -> Result<Chart, VerifyError> {
    let show = |what: &str| -> Result<String, VerifyError> {
        let out = helm_show(helm, what, path)?;
        if !out.status.success() {
            return Err(chart_error(
                path,
                format!(
                    "`helm show {what}` failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let info = chart_info(path, &show("chart")?)?;
    let values_text = show("values")?;
    let values = manifest::parse_yaml(&values_text)
        .ok()
        .filter(|v| !v.is_null());
    Ok(Chart { info, values })
}

/// Keys a values overlay sets that the chart's own `values.yaml` lacks, as dotted paths.
///
/// Helm ignores such keys silently, so each is a typo or a key the chart renamed. Maps are
/// walked; lists, scalars and maps the chart leaves empty (annotations, pod labels) are leaves.
pub fn unknown_values_keys(overlay: &Value, chart: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_unknown_keys(overlay, chart, "", &mut out);
    out
}

fn walk_unknown_keys(o: &Value, c: &Value, path: &str, out: &mut Vec<String>) {
    let (Some(om), Some(cm)) = (o.as_mapping(), c.as_mapping()) else {
        return;
    };
    if cm.is_empty() {
        return;
    }
    for (k, v) in om {
        let key = scalar_string(k).unwrap_or_default();
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match cm.get(k) {
            None => out.push(here),
            Some(cv) if LEAF_MAPS.contains(&key.as_str()) || !cv.is_mapping() => {}
            Some(cv) => walk_unknown_keys(v, cv, &here, out),
        }
    }
}

/// Maps whose keys are data, not chart settings.
const LEAF_MAPS: [&str; 7] = [
    "annotations",
    "podLabels",
    "labels",
    "nodeSelector",
    "extraEnv",
    "matchLabels",
    "loadBalancerAnnotations",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        manifest::parse_yaml(s).unwrap()
    }

    #[test]
    fn unknown_values_keys_walks_maps_and_stops_at_leaves() {
        let chart = yaml("global: {mode: dev, podLabels: {}}\nservices: {web: {extraEnv: [], replicas: 1}}\ningress: {web: {annotations: {}}}\n");
        let overlay = yaml("global: {mode: stable, podLabels: {a: b}, typo: 1}\nservices: {web: {extraEnv: [{name: X}], replicaz: 2}}\ningress: {web: {annotations: {x: y}}}\nnope: {}\n");
        assert_eq!(
            unknown_values_keys(&overlay, &chart),
            vec!["global.typo", "services.web.replicaz", "nope"]
        );
    }
}
