"""ID numbers (12-digit personal ID, old 9-digit CMND) and the chip ID card's QR code."""
