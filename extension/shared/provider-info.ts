/** EIP-6963 provider info (https://eips.ethereum.org/EIPS/eip-6963). `rdns` is Vigil's own. */
export const PROVIDER_RDNS = 'app.vigil.wallet';
export const PROVIDER_NAME = 'Vigil';
// A small inline SVG: EIP-6963 requires a data URI (RFC 2397) for the icon.
const ICON_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='%23101828'/>" +
  "<path d='M7 8l9 17 9-17' fill='none' stroke='%2338bdf8' stroke-width='3.2' stroke-linecap='round' stroke-linejoin='round'/></svg>";
export const PROVIDER_ICON = `data:image/svg+xml,${ICON_SVG}`;
