"""Electronic signatures: the issuing bodies' certificates, PAdES signing and verification."""
