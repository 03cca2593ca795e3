"""EPS: evacuation and next-of-kin centres, evacuees, inquiries and reunification."""
