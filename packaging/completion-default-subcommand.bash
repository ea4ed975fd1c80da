
# Added by mailscrub's packaging: a bare `mailscrub` scrubs, so words before any
# subcommand complete as the scrub subcommand's (`mailscrub --emit <TAB>`).
_mailscrub_default_scrub() {
    case "${COMP_WORDS[1]-}" in
    scrub|hash|keygen|verify|keys|check|help|--version|-h|--help) ;;
    *)
        if [[ ${COMP_CWORD} -gt 1 || ${COMP_WORDS[1]-} == -* ]]; then
            COMP_WORDS=("${COMP_WORDS[0]}" scrub "${COMP_WORDS[@]:1}")
            COMP_CWORD=$((COMP_CWORD + 1))
        fi
        ;;
    esac
    _mailscrub "$@"
}
complete -o filenames -F _mailscrub_default_scrub mailscrub
