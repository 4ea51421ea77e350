"""The Streamlit annotation app: pages, the labeler component and its glue."""
