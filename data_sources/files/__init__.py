"""File writers: the downloads (CSV, XLSX, JSON, safe from formula injection) and the SKPD sheet template."""
