"""No admin pages: the plan and the register are kept through their own audited pages."""
