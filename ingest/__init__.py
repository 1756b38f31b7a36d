"""Reading report files into the index: load -> facts -> chunk -> sync."""
