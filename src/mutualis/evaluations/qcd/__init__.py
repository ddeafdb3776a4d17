"""The quality–cost–delay evaluation: activity (who evaluates), the default grid, the aggregation."""
