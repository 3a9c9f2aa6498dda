"""Quality assurance: checks over translation units, the glossary (term
lookup that finds inflected forms) and spell checking.  Qt free."""
