"""Pages and endpoints for credentials: staff actions on a resident's credentials (staff), the
public verify page, share links and published documents (public), the W3C VC-API (api), and a
council administrator's API clients and trust registry (registry)."""
