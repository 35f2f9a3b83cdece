/** The JSON body of a Twilio REST error, as the 2010-04-01 API sends it. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  detail?: string;
}

export function twilioError(status: number, code: number, message: string, detail?: string): TwilioErrorBody {
  return {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
    ...(detail === undefined ? {} : { detail }),
  };
}

export const DEFAULT_FAULT_CODES: Record<number, { code: number; message: string }> = {
  429: { code: 20429, message: 'Too Many Requests' },
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
};

export const notFound = (path: string) =>
  twilioError(404, 20404, `The requested resource ${path} was not found`);
