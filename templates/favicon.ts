// The site's icon, served as /favicon.svg: a folded newspaper mark that reads at 16px.
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#0a4f94"/>
<rect x="7" y="8" width="18" height="4" rx="1" fill="#fff"/>
<rect x="7" y="15" width="8" height="9" rx="1" fill="#fff"/>
<rect x="17" y="15" width="8" height="2" rx="1" fill="#fff"/>
<rect x="17" y="19" width="8" height="2" rx="1" fill="#fff"/>
<rect x="17" y="23" width="5" height="1.5" rx="0.75" fill="#fff"/>
</svg>
`;
