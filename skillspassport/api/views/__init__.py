"""The partner API's views: thin, each an access check, one service or selector, a reply."""
