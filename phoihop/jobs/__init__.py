"""Background jobs: long outputs (exports, documents) built outside the web request, with progress."""
