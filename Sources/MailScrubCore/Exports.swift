// The core's clients (the executable, the fuzz targets) see the base, parsing, correlation
// and key types the pipeline's API is made of, as if they were the core's own.
@_exported import MailScrubBase
@_exported import MailScrubCorrelation
@_exported import MailScrubKeys
@_exported import MailScrubParsing
