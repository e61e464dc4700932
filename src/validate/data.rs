//! Rules for the data services: the Postgres and Redis the runtime connects to.
use super::validator::Validator;
use super::{IN_CLUSTER_POSTGRES, IN_CLUSTER_REDIS};
use crate::answers::{Postgres, Redis};
use crate::format::{self, Format};

impl Validator<'_> {
    /// Postgres: a host (managed where the profile needs it), port, CIDR and identifiers.
    pub(super) fn postgres(&mut self) {
        let pg: Postgres = self.a.postgres.clone().unwrap_or_default();
        let product = &self.cloud.products.postgres;
        self.data_host(
            "postgres.host",
            "Postgres",
            pg.host.as_deref(),
            IN_CLUSTER_POSTGRES,
            product,
        );
        if let Some(p) = pg.port {
            self.port("postgres.port", p);
        }
        self.data_cidr(
            "postgres",
            "Postgres",
            pg.host.as_deref(),
            pg.cidr.as_deref(),
        );
        for (k, v) in [
            ("database", &pg.database),
            ("authDatabase", &pg.auth_database),
            ("user", &pg.user),
        ] {
            if let Some(v) = v {
                self.ident(&format!("postgres.{k}"), v);
            }
        }
        if pg.database.is_some() && pg.database == pg.auth_database {
            self.err("postgres.authDatabase", "must differ from `postgres.database`: the console's sessions live in their own database");
        }
    }

    /// Redis: a host (managed where the profile needs it), port, CIDR, database and TLS.
    pub(super) fn redis(&mut self) {
        let r: Redis = self.a.redis.clone().unwrap_or_default();
        let product = &self.cloud.products.redis;
        self.data_host(
            "redis.host",
            "Redis",
            r.host.as_deref(),
            IN_CLUSTER_REDIS,
            product,
        );
        let port = r.port.unwrap_or(6379);
        self.port("redis.port", port);
        self.data_cidr("redis", "Redis", r.host.as_deref(), r.cidr.as_deref());
        if r.database.is_some_and(|d| d > 15) {
            self.err(
                "redis.database",
                "managed Redis offers databases 0–15; use 0 unless you share the instance",
            );
        }
        self.redis_tls(r.tls.unwrap_or(false), port);
        let host = r.host.as_deref().unwrap_or_default().to_ascii_lowercase();
        let offering = self
            .cloud
            .redis_hosts
            .iter()
            .find(|o| host.ends_with(&o.suffix));
        if let Some(o) = offering.filter(|o| u32::from(o.port) != port) {
            let msg = format!("`{host}` is {}, which listens on {} (TLS), not {port}: the URL and the NetworkPolicy would miss it; set `redis.port: {}` or leave it out", o.product, o.port, o.port);
            self.err("redis.port", msg);
        }
    }

    /// Whether Redis TLS matches the port and what the profile's runtime Secret can carry.
    fn redis_tls(&mut self, tls: bool, port: u32) {
        let tls_ports: Vec<u32> = self
            .cloud
            .redis_tls_ports
            .iter()
            .map(|p| u32::from(*p))
            .collect();
        if !tls && port != 6379 && tls_ports.contains(&port) {
            self.err("redis.tls", format!("port {port} is the TLS port of {}; set `redis.tls: true` (the runtime Secret then uses rediss://)", self.cloud.products.redis));
        }
        if tls && !tls_ports.contains(&port) {
            self.warn(
                "redis.port",
                format!(
                    "{} usually serves TLS on {}; check the port of your instance",
                    self.cloud.products.redis,
                    tls_ports
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
        }
        if !self.profile.external_secrets && tls {
            self.err("redis.tls", "an evaluation's temporary Secret is built by the chart, which always writes redis:// URLs; set `redis.tls: false` or use the production profile");
        }
        if self.profile.managed_dependencies && !tls {
            self.warn("redis.tls", "managed Redis without TLS sends the Redis password and audit traffic in clear text; prefer `redis.tls: true`");
        }
    }

    /// The host of a data service: required when the profile needs it managed, never the
    /// chart's in-cluster default there, and an IP address or host name.
    fn data_host(
        &mut self,
        path: &str,
        service: &str,
        host: Option<&str>,
        in_cluster: &str,
        product: &str,
    ) {
        match host {
            None | Some("") => self.err(
                path,
                format!(
                    "profile `{}` needs a managed {service} ({product}); give its host name",
                    self.profile.id
                ),
            ),
            Some(h) if h == in_cluster && self.profile.managed_dependencies => self.err(
                path,
                format!("`{in_cluster}` is the chart's in-cluster default, which stable deployments refuse; give the host of your {product}"),
            ),
            Some(h) => self.host_like(path, h),
        }
    }

    /// The CIDR egress to a data service is allowed to: well formed, not everywhere where
    /// the profile refuses open CIDRs, and holding the host when that is an IP address (the
    /// NetworkPolicy would drop its traffic otherwise).
    fn data_cidr(&mut self, key: &str, service: &str, host: Option<&str>, cidr: Option<&str>) {
        let path = format!("{key}.cidr");
        if cidr.is_none() && host.is_some() && !self.profile.chart_network_policy {
            self.err(&path, format!("required in profile `{}`: its NetworkPolicy (network/baseline.yaml, replacing the chart's, which admits {service}'s port to any address) opens {service} only to this CIDR; give the {service} subnet's CIDR, e.g. `10.60.0.0/24`", self.profile.id));
        }
        let Some(net) = cidr.and_then(|c| self.cidr(&path, c)) else {
            return;
        };
        if crate::cidr::is_everywhere(&net) && !self.profile.open_cidr {
            self.err(&path, format!("`{net}` opens egress to everywhere, which profile `{}` refuses; give the CIDR of the {service} subnet", self.profile.id));
        }
        let ip = host.and_then(|h| h.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = ip.filter(|ip| !net.contains(ip)) {
            self.err(format!("{key}.host"), format!("`{ip}` is outside `{key}.cidr` `{net}`: the NetworkPolicy would drop its traffic; give a CIDR that holds the host, or the host's address in `{net}`"));
        }
    }

    /// Records a problem at `path` unless `host` is an IP address or a host name.
    fn host_like(&mut self, path: &str, host: &str) {
        if host.parse::<std::net::IpAddr>().is_err() {
            if let Err(e) = format::ensure_hostname(host) {
                self.err(path, e);
            }
        }
    }

    /// Records a problem at `path` unless `value` is a plain Postgres identifier.
    fn ident(&mut self, path: &str, value: &str) {
        let ok = !value.is_empty()
            && value.len() <= 63
            && value.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            self.err(path, format!("`{value}` is not a plain Postgres identifier (lower-case letters, digits, `_`)"));
        }
    }
}

impl Validator<'_> {
    /// TLS to the managed data services: a runnable sslmode for every runtime, and a CA
    /// bundle where the servers' chains are private (#10).
    pub(super) fn data_tls(&mut self) {
        let tls = self.cloud.data_tls.clone();
        let pg_host = self.a.postgres.as_ref().and_then(|p| p.host.clone());
        let managed_pg = pg_host.is_some_and(|h| h != IN_CLUSTER_POSTGRES);
        if let Some(b) = self.a.ca_bundle.clone() {
            self.ensure("caBundle.configMap", Format::K8sName, &b.config_map);
            if !self.profile.external_secrets {
                self.err("caBundle", "an evaluation's chart-made Secret writes its own database URLs, which can't name the CA file; remove `caBundle` or use the production profile");
            }
        }
        if managed_pg && !tls.postgres_public_ca {
            self.private_postgres(&tls);
        }
        let redis = self.a.redis.clone().unwrap_or_default();
        let managed_redis = redis.host.is_some_and(|h| h != IN_CLUSTER_REDIS);
        if managed_redis
            && redis.tls == Some(true)
            && !tls.redis_public_ca
            && self.a.ca_bundle.is_none()
        {
            self.private_redis();
        }
    }

    /// A TLS Redis whose per-instance CA no client trusts: every service's Redis client
    /// verifies with the system roots, so without the CA none connects, the API's readiness
    /// (which pings Redis) never passes and the install times out.
    fn private_redis(&mut self) {
        let product = self.cloud.products.redis.clone();
        if !self.profile.external_secrets {
            self.err("redis.tls", format!("{product} presents a per-instance CA that neither Node nor Go trusts, and an evaluation can't mount a CA bundle: use the chart's in-cluster Redis (leave `redis.host` out), an instance without in-transit encryption (`redis.tls: false`), or the production profile"));
            return;
        }
        self.err("caBundle.configMap", format!("required with `redis.tls`: {product} presents a per-instance CA that neither Node nor Go trusts, so no service connects without it; create a ConfigMap holding that CA (the README's Apply order says how) and name it here, or set `redis.tls: false` for an instance without in-transit encryption"));
    }

    /// A Postgres whose chain Node doesn't trust: the evaluation's single sslmode can't
    /// serve Node and libpq at once, and without a CA Node connects unverified.
    fn private_postgres(&mut self, tls: &crate::catalog::DataTls) {
        let product = self.cloud.products.postgres.clone();
        if !self.profile.external_secrets {
            self.err("postgres.host", format!("the evaluation's chart-made Secret gives every URL one sslmode: `require` makes the Node services verify {product}'s private chain and fail, and libpq has no `no-verify`; use the chart's in-cluster Postgres (leave `postgres.host` out) or the production profile"));
            return;
        }
        if self.a.ca_bundle.is_none() {
            let verify = if tls.postgres_chain_only {
                "the chain (verify-ca)"
            } else {
                "the server (verify-full)"
            };
            self.warn("caBundle", format!("{product} presents a private chain, so the services connect encrypted but unverified; to verify {verify}, create a CA bundle ConfigMap and name it in `caBundle.configMap` (the console can't mount it and stays unverified)"));
        }
    }
}
