DROP TABLE annual_report_drafts;
DROP TABLE annual_report_versions;
DROP TABLE annual_report_sections;
DROP TABLE report_figures;
