"""The provincial roll-up report of Đề án 06 for a month: data, then DOCX, XLSX and PDF renderings."""
