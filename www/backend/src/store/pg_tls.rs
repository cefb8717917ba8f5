//! TLS to PostgreSQL (rustls), as `sslmode` in `DATABASE_URL` asks, with libpq's names:
//!
//! - none, or `disable`: plain TCP (as before this option existed);
//! - `prefer`: TLS when the server offers it, else plain; the certificate is not checked;
//! - `require`: TLS or no connection; the certificate is not checked (libpq's `require`
//!   without a root certificate: it protects against eavesdropping, not impersonation);
//! - `verify-ca`: TLS, and the certificate chains to a trusted root;
//! - `verify-full`: TLS, the certificate chains to a trusted root and names the host of
//!   the URL (the one to use in production).
//!
//! Trusted roots: the PEM file `sslrootcert=/path/to/ca.pem` names, else the public roots
//! (webpki-roots). Both parameters are taken out of the URL before tokio-postgres reads it.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode` values this backend honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disable,
    /// TLS when offered, unverified.
    Prefer,
    /// TLS, unverified.
    Require,
    /// TLS, the chain verified.
    VerifyCa,
    /// TLS, the chain and the host name verified.
    VerifyFull,
}

/// A PostgreSQL URL read: tokio-postgres's settings, and how to speak TLS.
pub struct PgUrl {
    /// Everything but the TLS parameters.
    pub config: tokio_postgres::Config,
    /// `sslmode` (`None`: not given, plain TCP).
    pub mode: Option<SslMode>,
    /// `sslrootcert`: the trusted roots (PEM).
    pub root_cert: Option<PathBuf>,
}

/// Reads a `postgres://` URL, taking `sslmode` and `sslrootcert` out of its query.
pub fn parse(url: &str) -> Result<PgUrl, String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, query),
        None => (url, ""),
    };
    let mut mode = None;
    let mut root_cert = None;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let decoded: Vec<(String, String)> =
            serde_urlencoded::from_str(pair).map_err(|e| format!("bad query parameter: {e}"))?;
        match decoded.first().map(|(k, v)| (k.as_str(), v.as_str())) {
            Some(("sslmode", value)) => {
                mode = Some(match value {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(format!(
                    "sslmode must be disable, prefer, require, verify-ca or verify-full: {other}"
                ))
                    }
                })
            }
            Some(("sslrootcert", value)) if !value.is_empty() => {
                root_cert = Some(PathBuf::from(value))
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    let mut config: tokio_postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
    config.ssl_mode(match mode {
        None | Some(SslMode::Disable) => tokio_postgres::config::SslMode::Disable,
        Some(SslMode::Prefer) => tokio_postgres::config::SslMode::Prefer,
        Some(_) => tokio_postgres::config::SslMode::Require,
    });
    Ok(PgUrl {
        config,
        mode,
        root_cert,
    })
}

impl PgUrl {
    /// The TLS connector the mode needs (`None`: plain TCP); reads `sslrootcert`.
    pub fn connector(&self) -> Result<Option<MakeRustlsConnect>, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match self.mode {
            None | Some(SslMode::Disable) => return Ok(None),
            Some(SslMode::Prefer | SslMode::Require) => Arc::new(Unverified(provider.clone())),
            Some(mode @ (SslMode::VerifyCa | SslMode::VerifyFull)) => {
                let roots = self.roots()?;
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| format!("sslrootcert: {e}"))?;
                if mode == SslMode::VerifyCa {
                    Arc::new(ChainOnly(webpki))
                } else {
                    webpki
                }
            }
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(Some(MakeRustlsConnect::new(config)))
    }

    fn roots(&self) -> Result<RootCertStore, String> {
        let mut roots = RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                let certs = CertificateDer::pem_file_iter(path)
                    .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
                for cert in certs {
                    let cert = cert.map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
                    roots
                        .add(cert)
                        .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
                }
                if roots.is_empty() {
                    return Err(format!(
                        "sslrootcert {}: no certificate in it",
                        path.display()
                    ));
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        Ok(roots)
    }
}

/// `prefer`/`require`: any certificate (the handshake's signatures are still checked).
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain is checked, the name is not.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_taken_out_of_the_url() {
        let u = parse("postgres://u:p@db:5432/videoid").unwrap();
        assert_eq!(u.mode, None);
        assert!(u.connector().unwrap().is_none(), "no sslmode: plain TCP");
        let u = parse(
            "postgres://u:p@db:5432/videoid?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(u.mode, Some(SslMode::VerifyFull));
        assert_eq!(u.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(u.config.get_application_name(), Some("x"));
        assert_eq!(
            u.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );
        let u = parse("postgres://db/v?sslmode=require").unwrap();
        assert_eq!(u.mode, Some(SslMode::Require));
        assert!(u.connector().unwrap().is_some());
        let u = parse("postgres://db/v?sslmode=verify-ca").unwrap();
        assert!(u.connector().unwrap().is_some(), "public roots by default");
        assert!(parse("postgres://db/v?sslmode=allow-ish").is_err());
        let u =
            parse("postgres://db/v?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").unwrap();
        let e = u.connector().err().unwrap();
        assert!(e.contains("/nonexistent/ca.pem"), "{e}");
    }
}
