"""Getting data in: embedded CBS boundaries, the PDOK refresh and the curated registry."""
