//! `POST /customers/{cid}/search/{type}` (JSON body) and `GET …?searchJson=` (§5.1): answers
//! `{"searchResults":[{"id","self"}]}`, ascending, at most `max_results`, through the cache.

use std::sync::Arc;

use super::eval::{compile, run};
use super::filter::{MSG_NO_FILTER, MSG_PARSE, parse_query};
use crate::config::Permission;
use crate::errors::{ApiError, ApiResult};
use crate::record_type::RecordType;
use crate::reply::{Reply, Req};
use crate::state::{Customer, Inner};

pub(crate) fn handle(
    inner: &Inner,
    cust: &Customer,
    ty: RecordType,
    req: &Req,
) -> ApiResult<Reply> {
    crate::api::require(cust, ty, 'l')?;
    let scfg = &inner.cfg.search;
    let err = |msg: String| ApiError::new(scfg.error_status, scfg.error_code, msg);
    let text: Vec<u8> = if req.method == http::Method::GET {
        req.query_param("searchJson")
            .ok_or_else(|| err(MSG_NO_FILTER.into()))?
            .into_bytes()
    } else {
        req.body.to_vec()
    };
    let json: serde_json::Value =
        serde_json::from_slice(&text).map_err(|_| err(MSG_PARSE.into()))?;
    let query = parse_query(&json).map_err(err)?;
    if ty == RecordType::Workflows && query.names().contains(&"applicantworkflow.status") {
        cust.allows(Permission::StatusList)?;
    }
    let compiled = compile(&query, ty, &cust.cfg).map_err(err)?;
    let staleness_min = req
        .query_param("staleness")
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(scfg.default_staleness_minutes);
    let staleness_ms = staleness_min.saturating_mul(60_000).min(i64::MAX as u64) as i64;
    let now_ms = inner.clock.now_ms();
    let key = (cust.cfg.id, ty, query.canonical());
    let cached = if staleness_ms > 0 {
        inner.cache.get(&key, now_ms, staleness_ms)
    } else {
        None
    };
    let ids = match cached {
        Some(ids) => ids,
        None => {
            let ids = Arc::new(run(&compiled, ty, &cust.read(), scfg.max_results));
            if staleness_ms > 0 {
                let max_age = scfg
                    .default_staleness_minutes
                    .max(staleness_min)
                    .saturating_mul(60_000)
                    .min(i64::MAX as u64) as i64;
                inner.cache.put(key, now_ms, ids.clone(), max_age);
            }
            ids
        }
    };
    // Written by hand: up to 1,000 entries per call on the hottest path.
    let prefix = format!(
        "{}/customers/{}/{}/",
        inner.api_base,
        cust.cfg.id,
        ty.segment()
    );
    let mut out = String::with_capacity(24 + ids.len() * (prefix.len() + 24));
    out.push_str("{\"searchResults\":[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        push_u32(&mut out, *id);
        out.push_str(",\"self\":\"");
        out.push_str(&prefix);
        push_u32(&mut out, *id);
        out.push_str("\"}");
    }
    out.push_str("]}");
    Ok(Reply::json_text(200, out))
}

/// Decimal digits without going through `fmt` (the search answer's hottest loop).
fn push_u32(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_u32_writes_decimal() {
        for n in [0u32, 7, 10, 1234, u32::MAX] {
            let mut s = String::new();
            super::push_u32(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
