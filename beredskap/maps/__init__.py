"""Maps: shipped geodata layers, resources, spatial analysis and map images for reports."""
